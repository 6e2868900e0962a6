"""Embedding models, one per module. Importing this package imports every module in it, which
registers their models in ``EMBEDDING_MODELS``."""

from trackgnn.graph_construction.models.registry import EMBEDDING_MODELS
from trackgnn.utils.registry import import_submodules

import_submodules(__name__)

__all__ = ["EMBEDDING_MODELS"]
