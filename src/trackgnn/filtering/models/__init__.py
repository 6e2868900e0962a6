"""Filter architectures; importing this package registers them in ``FILTER_MODELS``."""

from trackgnn.filtering.models.mlp import MLPFilter, make_mlp

__all__ = ["MLPFilter", "make_mlp"]
