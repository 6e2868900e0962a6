"""The registry of embedding models (``metric_learning.model`` in config)."""

from trackgnn.utils.registry import Registry

EMBEDDING_MODELS = Registry("embedding")
