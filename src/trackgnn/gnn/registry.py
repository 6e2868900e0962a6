"""GNN edge classifiers by config name (``gnn.model: interaction_network``)."""

from trackgnn.utils.registry import Registry

GNN_MODELS = Registry("gnn")
