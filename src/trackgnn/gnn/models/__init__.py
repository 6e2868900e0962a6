"""GNN architectures, one per file; importing this package registers them in ``GNN_MODELS``."""

from trackgnn.gnn.models.attention import AttentionGNN
from trackgnn.gnn.models.interaction_network import InteractionNetwork

__all__ = ["AttentionGNN", "InteractionNetwork"]
