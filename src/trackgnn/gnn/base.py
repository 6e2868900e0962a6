"""``GNNBase``: the Lightning module of the GNN edge-classification stage.

Unlike the filter, a GNN sees the whole (filtered) graph at once, so it trains on every
edge of each event; the shared loss, edge weights, warm-up/schedule and validation
figures live in :class:`~trackgnn.edge_classifier.base.EdgeClassifierBase`.
"""

from __future__ import annotations

import trackgnn.gnn.models  # noqa: F401  (registers the architectures)
from trackgnn.edge_classifier.base import EdgeClassifierBase
from trackgnn.gnn.registry import GNN_MODELS


class GNNBase(EdgeClassifierBase):
    """GNN edge-classifier LightningModule (arguments: see ``EdgeClassifierBase``)."""

    registry = GNN_MODELS

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
    def from_config(cls, section: dict, node_features: int) -> GNNBase:
        """Build from the ``gnn`` section of a validated config (:func:`trackgnn.config.stage_section`)."""
        return cls(node_features=node_features, **cls.config_kwargs(section))

    def training_edges(self, batch):
        labels = batch[self.hparams.label].bool()
        return batch.edge_index, labels, self.edge_weights(labels, batch.target_edge.bool())
