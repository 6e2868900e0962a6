"""The registry of embedding models (``embedding.model`` in config)."""

from trackgnn.utils.registry import Registry

EMBEDDING_MODELS = Registry("embedding")
