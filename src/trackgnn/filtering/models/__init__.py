"""Filter architectures, one per file. Importing this package imports every module in it,
which registers their models in ``FILTER_MODELS``."""

from trackgnn.filtering.models.mlp import MLPFilter, make_mlp
from trackgnn.utils.registry import import_submodules

import_submodules(__name__)

__all__ = ["MLPFilter", "make_mlp"]
