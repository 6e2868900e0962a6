"""Filter models by config name (``filter.model: mlp``)."""

from trackgnn.utils.registry import Registry

FILTER_MODELS = Registry("filter")
