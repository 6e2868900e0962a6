"""Training logic shared by the edge filter and the GNN: a thin LightningModule around a
plain ``nn.Module`` edge classifier taken from a registry.

Loss: weighted binary cross-entropy with a positive-class weight :math:`w_+`,

.. math::
    \\mathcal{L} = -\\frac{1}{|E|} \\sum_{e} w_e \\big[ w_+ \\, y_e \\log \\sigma(s_e)
    + (1 - y_e) \\log(1 - \\sigma(s_e)) \\big],

with :math:`w_e` = ``target_weight`` on true edges of target particles,
``non_target_weight`` on other true edges and 1 on fakes. Learning rate: linear warm-up
over ``warmup_steps`` optimiser steps, then cosine decay to ``min_lr_ratio * lr``, a step
decay, or constant. Validation logs loss, target-edge efficiency (against the full truth
graph), purity and ROC AUC at the configured cut.

With ``training.sectors`` = :math:`n > 1` each training event is served :math:`n` times, each
time restricted to the edges whose inner hit lies in one of :math:`n` azimuthal sectors: the
model (a GNN included: its messages then pass along that sector's edges only) sees a share of
the event per optimiser step, so a few full-occupancy events still give many steps, in
:math:`1/n` of the memory. Validation always uses whole events.
"""

from __future__ import annotations

import math

import lightning as L
import numpy as np
import torch
import torch.nn.functional as F

from trackgnn.data.views import phi_sector, view_part
from trackgnn.edge_classifier.metrics import EdgeTally
from trackgnn.edge_features import EDGE_FEATURE_NAMES, edge_geometry_from_data

#: Node/edge arrays a training batch needs (truth included).
TRAIN_ARRAYS = ("x", "r", "phi", "z", "eta", "edge_index", "y", "y_pid", "target_edge", "truth_target", "particle_id")


class EdgeClassifierBase(L.LightningModule):
    """Common base of :class:`~trackgnn.filtering.base.FilterBase` and
    :class:`~trackgnn.gnn.base.GNNBase`; subclasses set :attr:`registry` and
    :meth:`training_edges`.

    Args:
        node_features: size of ``x``.
        model: registered model name.
        model_kwargs: hyperparameters of the model (plain types).
        edge_features: feed geometric edge features to the model.
        label: truth used as the training target, ``y`` or ``y_pid``.
        pos_weight: weight :math:`w_+` of the positive class in the BCE.
        target_weight, non_target_weight: edge weights of true target / other true edges.
        cut: score threshold for the validation figures.
        training: optimiser and schedule settings (``lr``, ``weight_decay``,
            ``warmup_steps``, ``scheduler``, ``min_lr_ratio``, ``step_epochs``, ``step_gamma``).
    """

    registry = None

    @staticmethod
    def config_kwargs(section: dict) -> dict:
        """Constructor arguments shared by every edge classifier, from its complete config section."""
        return dict(
            model=section["model"],
            model_kwargs=dict(section["models"].get(section["model"], {})),
            edge_features=bool(section["edge_features"]),
            label=section["label"],
            pos_weight=float(section["pos_weight"]),
            target_weight=float(section["target_weight"]),
            non_target_weight=float(section["non_target_weight"]),
            cut=float(section["cut"]),
            training=dict(section["training"]),
        )

    def __init__(
        self,
        node_features: int,
        model: str,
        model_kwargs: dict,
        edge_features: bool,
        label: str,
        pos_weight: float,
        target_weight: float,
        non_target_weight: float,
        cut: float,
        training: dict,
    ):
        super().__init__()
        self.save_hyperparameters()
        edge_dim = len(EDGE_FEATURE_NAMES) if edge_features else 0
        self.net = self.registry.get(model)(node_features=node_features, edge_features=edge_dim, **(model_kwargs or {}))
        self._val_tally: EdgeTally | None = None

    # ----------------------------------------------------------------- inference
    def forward(self, batch, edge_index: torch.Tensor | None = None) -> torch.Tensor:
        """Logits ``[E]`` of ``edge_index`` (default: the batch's edges)."""
        edges = batch.edge_index if edge_index is None else edge_index
        attr = edge_geometry_from_data(batch, edges) if self.hparams.edge_features else None
        return self.net(batch.x, edges, attr)

    def export_hparams(self) -> dict:
        """What :func:`~trackgnn.edge_classifier.export.load_exported` needs to rebuild ``net``."""
        h = self.hparams
        return {
            "model": h.model,
            "model_kwargs": dict(h.model_kwargs or {}),
            "node_features": int(h.node_features),
            "edge_features": bool(h.edge_features),
            "edge_features_dim": len(EDGE_FEATURE_NAMES) if h.edge_features else 0,
            "label": h.label,
            "cut": float(h.cut),
        }

    # ------------------------------------------------------------------ training
    def training_edges(self, batch) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(edge_index [2, E'], labels [E'] bool, weights [E'])`` to train on."""
        raise NotImplementedError

    def edge_weights(self, labels: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        h = self.hparams
        w = torch.ones(labels.shape, dtype=torch.float32, device=labels.device)
        w[labels & ~target] = float(h.non_target_weight)
        w[target] = float(h.target_weight)
        return w

    def loss(self, logits: torch.Tensor, labels: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        pos_weight = logits.new_tensor(float(self.hparams.pos_weight))
        return F.binary_cross_entropy_with_logits(logits, labels.float(), weight=weights, pos_weight=pos_weight)

    def training_step(self, batch, batch_idx):
        edges, labels, weights = self.training_edges(batch)
        part = view_part(batch)
        if part is not None:  # one phi sector of a large event (training.sectors)
            in_sector = phi_sector(batch.phi[edges[0]], part[1]) == part[0]
            edges, labels, weights = edges[:, in_sector], labels[in_sector], weights[in_sector]
        loss = self.loss(self(batch, edges), labels, weights)
        self.log("train_loss", loss, batch_size=batch.num_graphs, prog_bar=True)
        return loss

    def on_validation_epoch_start(self) -> None:
        self._val_tally = EdgeTally(self.hparams.cut)

    def validation_step(self, batch, batch_idx):
        labels = batch[self.hparams.label].bool()
        target = batch.target_edge.bool()
        logits = self(batch)
        loss = self.loss(logits, labels, self.edge_weights(labels, target))
        self.log("val_loss", loss, batch_size=batch.num_graphs, sync_dist=True, prog_bar=True)
        scores = torch.sigmoid(logits).detach().cpu().numpy()
        truth = {k: batch[k].detach().cpu().numpy() for k in ("y", "y_pid", "target_edge", "truth_target")}
        self._val_tally.add(scores, batch.num_nodes, truth)
        return loss

    def on_validation_epoch_end(self) -> None:
        summary = self._val_tally.summary() if self._val_tally else {}
        for key in ("efficiency", "stage_efficiency", "purity", "auc", "rejection"):
            value = summary.get(key)
            if value is not None and np.isfinite(value):
                self.log(f"val_{key}", float(value), sync_dist=True)

    # ------------------------------------------------------------- optimisation
    def configure_optimizers(self):
        t = self.hparams.training
        optimizer = torch.optim.AdamW(self.parameters(), lr=float(t["lr"]), weight_decay=float(t["weight_decay"]))
        total = self.trainer.estimated_stepping_batches if self._trainer is not None else 1000
        total = int(total) if math.isfinite(total) else 10**9
        max_epochs = max(1, int(self.trainer.max_epochs or 1)) if self._trainer is not None else 1
        factor = lr_factor(
            warmup_steps=int(t["warmup_steps"]),
            total_steps=total,
            scheduler=t["scheduler"],
            min_lr_ratio=float(t["min_lr_ratio"]),
            steps_per_epoch=max(1, total // max_epochs),
            step_epochs=int(t["step_epochs"]),
            step_gamma=float(t["step_gamma"]),
        )
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


def lr_factor(warmup_steps, total_steps, scheduler, min_lr_ratio, steps_per_epoch, step_epochs, step_gamma):
    """Multiplier of the base learning rate at optimiser step ``k`` (for ``LambdaLR``).

    .. math::
        f(k) = \\frac{k+1}{K_w} \\ (k < K_w), \\qquad
        f(k) = f_{min} + (1 - f_{min}) \\tfrac12\\big(1 + \\cos(\\pi \\tfrac{k - K_w}{K - K_w})\\big)
        \\ \\text{(cosine)}
    """

    def factor(step: int) -> float:
        if warmup_steps and step < warmup_steps:
            return (step + 1) / warmup_steps
        if scheduler == "cosine":
            progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
            return min_lr_ratio + (1.0 - min_lr_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))
        if scheduler == "step":
            return step_gamma ** ((step // steps_per_epoch) // max(1, step_epochs))
        return 1.0

    return factor
