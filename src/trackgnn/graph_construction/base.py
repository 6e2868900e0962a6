"""``EmbeddingBase``: the LightningModule that trains an embedding network.

The network is the plain ``nn.Module`` registered under ``metric_learning.model`` in
``EMBEDDING_MODELS`` (see :mod:`trackgnn.graph_construction.network`); a new model is one
file with a registered module, and this class trains any of them. Training samples pairs per
event (:mod:`.pairs`) and minimises the hinge loss of :mod:`.loss` (hard negatives are mined
within :math:`\\sqrt{m}`, where the hinge is active); validation also builds the radius graph
of each event and logs edge efficiency for target particles (target kept /
``truth_target.sum()``), purity and edges per hit.
"""

from __future__ import annotations

import lightning as L
import torch

from trackgnn.data.views import view_part
from trackgnn.graph_construction.edges import clean_edges, label_edges
from trackgnn.graph_construction.loss import hinge_loss
from trackgnn.graph_construction.network import build_network, check_input
from trackgnn.graph_construction.pairs import sample_pairs


class EmbeddingBase(L.LightningModule):
    """Args: the hyperparameters of :func:`trackgnn.graph_construction.config.model_hparams`
    (plain types; saved with ``save_hyperparameters``): ``model`` picks the network, the
    keywords its constructor names configure it, the others the training."""

    def __init__(self, **hparams):
        super().__init__()
        self.save_hyperparameters()
        self.net = build_network(self.hparams)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Embeddings [N, D] of node features ``x`` [N, F]."""
        check_input(x, self.hparams)
        return self.net(x)

    def _loss(self, batch, emb_all: torch.Tensor | None = None) -> torch.Tensor:
        # mine pairs on embeddings computed without gradient, then embed with gradient only
        # the hits the pairs touch (the MLP acts row by row, so the values are the same; on a
        # 100k-hit event with a share of the hits as queries this halves the cost of a step).
        # ``emb_all``: the embeddings of all hits when the caller has them (validation).
        if emb_all is None:
            with torch.no_grad():
                emb_all = self(batch.x)
        queries = None
        part = view_part(batch)
        if part is not None:  # one of several steps on a large event (steps_per_event)
            queries = torch.arange(emb_all.shape[0], device=emb_all.device) % part[1] == part[0]
        pairs, label = sample_pairs(
            emb_all,
            batch.truth_edges,
            batch.particle_id,
            batch.pt,
            knn=self.hparams.knn_train,
            radius=self.hparams.margin**0.5,
            random_pairs=self.hparams.random_pairs,
            positive_pt_min=self.hparams.positive_pt_min,
            queries=queries,
        )
        if pairs.shape[1] == 0:
            return self(batch.x[:1]).sum() * 0.0
        touched, local = torch.unique(pairs, return_inverse=True)
        emb = self(batch.x[touched]) if torch.is_grad_enabled() else emb_all[touched]
        return hinge_loss(emb, local, label, self.hparams.margin, self.hparams.pos_weight)

    def training_step(self, batch, batch_idx):
        loss = self._loss(batch)
        self.log("train_loss", loss, batch_size=1, on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, batch_idx):
        from trackgnn.graph_construction.backends.kdtree import KDTreeSearch
        from trackgnn.graph_construction.truth import module_key, origin_distance

        emb_all = self(batch.x)
        loss = self._loss(batch, emb_all)
        emb = emb_all.detach().cpu().numpy()
        # the capped graph is what the figures describe; counting dropped pairs is slow when dense
        found = KDTreeSearch(count_dropped=False).search(emb, self.hparams.radius, self.hparams.knn)
        arrays = {k: batch[k].cpu().numpy() for k in ("volume_id", "layer_id", "module_id", "r", "z")}
        edges = clean_edges(found.src, found.dst, module_key(arrays), origin_distance(arrays))
        labels = label_edges(
            edges, batch.truth_edges.cpu().numpy(), batch.particle_id.cpu().numpy(), batch.node_target.cpu().numpy()
        )
        n_target = max(int(batch.truth_target.sum()), 1)
        self.log("val_loss", loss, batch_size=1)
        self.log("val_eff", float(labels["target_edge"].sum()) / n_target, batch_size=1)
        self.log("val_purity", float(labels["y"].mean()) if edges.shape[1] else 0.0, batch_size=1)
        self.log("val_edges_per_hit", edges.shape[1] / max(batch.x.shape[0], 1), batch_size=1)
        return loss

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=self.hparams.lr_step, gamma=self.hparams.lr_gamma)
        return {"optimizer": opt, "lr_scheduler": sched}
