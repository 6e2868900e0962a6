"""Embedding models, one per module; importing this package registers them all."""

from trackgnn.graph_construction.models.registry import EMBEDDING_MODELS
from trackgnn.graph_construction.models import mlp  # noqa: F401  (registers "mlp")

__all__ = ["EMBEDDING_MODELS"]
