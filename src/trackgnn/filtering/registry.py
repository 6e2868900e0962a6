"""Filter models by config name (``filtering.model: mlp``)."""

from trackgnn.utils.registry import Registry

FILTER_MODELS = Registry("filter")
