"""Layers shared by the edge classifiers of several stages."""

from trackgnn.nn.pair_mlp import pair_mlp, rows_mlp
from trackgnn.nn.scatter import scatter

__all__ = ["pair_mlp", "rows_mlp", "scatter"]
