"""GNN architectures, one per file. Importing this package imports every module in it, which
registers their models in ``GNN_MODELS``: a new model is a new file here, nothing else."""

from trackgnn.gnn.models.attention import AttentionGNN
from trackgnn.gnn.models.interaction_network import InteractionNetwork
from trackgnn.utils.registry import import_submodules

import_submodules(__name__)

__all__ = ["AttentionGNN", "InteractionNetwork"]
