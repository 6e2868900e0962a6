"""``FilterBase``: the Lightning module of the edge-filter stage.

The filter sees every candidate edge of the graph-construction stage independently and
removes most fakes cheaply before the GNN. It trains on the true candidate edges, the
candidate fakes ("hard" negatives: close in embedding space, so close in geometry) and
random node pairs ("easy" negatives that keep the score calibrated far from the tracks):

.. math::
    E_{train} = E_{true} \\cup \\mathrm{sample}(E_{fake}, \\rho_h |E_{true}|)
    \\cup \\mathrm{random}(\\rho_r |E_{true}|)

with ratios :math:`\\rho_h` (``hard_negatives``; ``None`` keeps all fakes) and
:math:`\\rho_r` (``random_negatives``).
"""

from __future__ import annotations

import torch

import trackgnn.filtering.models  # noqa: F401  (registers the architectures)
from trackgnn.edge_classifier.base import EdgeClassifierBase
from trackgnn.filtering.registry import FILTER_MODELS


class FilterBase(EdgeClassifierBase):
    """Edge filter LightningModule; see :class:`~trackgnn.edge_classifier.base.EdgeClassifierBase`
    for the shared arguments (every argument comes from the config: :meth:`from_config`).

    Args:
        hard_negatives: candidate fakes sampled per true edge at each step (``None``: all).
        random_negatives: random node pairs per true edge at each step.
    """

    registry = FILTER_MODELS

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
        hard_negatives: float | None,
        random_negatives: float,
    ):
        super().__init__(
            node_features,
            model,
            model_kwargs,
            edge_features,
            label,
            pos_weight,
            target_weight,
            non_target_weight,
            cut,
            training,
        )

    @classmethod
    def from_config(cls, section: dict, node_features: int) -> FilterBase:
        """Build from the ``filter`` section of a validated config (:func:`trackgnn.config.stage_section`)."""
        return cls(
            node_features=node_features,
            **cls.config_kwargs(section),
            hard_negatives=None if section["hard_negatives"] is None else float(section["hard_negatives"]),
            random_negatives=float(section["random_negatives"]),
        )

    def training_edges(self, batch):
        h = self.hparams
        labels = batch[h.label].bool()
        target = batch.target_edge.bool()
        pos = torch.nonzero(labels).squeeze(1)
        neg = torch.nonzero(~labels).squeeze(1)
        if h.hard_negatives is not None:
            n_hard = min(neg.numel(), int(round(h.hard_negatives * pos.numel())))
            neg = neg[torch.randperm(neg.numel(), device=neg.device)[:n_hard]]
        chosen = torch.cat([pos, neg])
        edges = batch.edge_index[:, chosen]
        edge_labels = labels[chosen]
        weights = self.edge_weights(edge_labels, target[chosen])
        n_random = int(round(h.random_negatives * max(pos.numel(), 1)))
        if n_random > 0:
            rand = random_pairs(batch, n_random)
            edges = torch.cat([edges, rand], dim=1)
            edge_labels = torch.cat([edge_labels, torch.zeros(rand.shape[1], dtype=torch.bool, device=rand.device)])
            weights = torch.cat([weights, torch.ones(rand.shape[1], device=weights.device)])
        return edges, edge_labels, weights


def random_pairs(batch, n: int) -> torch.Tensor:
    """``n`` random node pairs within the same event, oriented inner to outer (by ``r``).

    Pairs of one non-noise particle and self-pairs are dropped, so every returned pair is
    a fake edge.

    Returns:
        ``[2, n']`` node indices, :math:`n' \\le n`.
    """
    device = batch.x.device
    num_nodes = batch.num_nodes
    graph = getattr(batch, "batch", None)
    src = torch.randint(num_nodes, (n,), device=device)
    if graph is None:
        dst = torch.randint(num_nodes, (n,), device=device)
    else:
        ptr = batch.ptr
        g = graph[src]
        start, size = ptr[g], ptr[g + 1] - ptr[g]
        dst = start + (torch.rand(n, device=device) * size).long().clamp_max(size - 1)
    keep = src != dst
    pid = getattr(batch, "particle_id", None)
    if pid is not None:
        keep &= ~((pid[src] == pid[dst]) & (pid[src] != 0))
    src, dst = src[keep], dst[keep]
    swap = batch.r[src] > batch.r[dst]
    return torch.stack([torch.where(swap, dst, src), torch.where(swap, src, dst)])
