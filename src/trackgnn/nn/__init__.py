"""Layers shared by the edge classifiers of several stages."""

from trackgnn.nn.activations import SigmoidTanh, with_fast_activations
from trackgnn.nn.pair_mlp import pair_mlp, rows_mlp
from trackgnn.nn.scatter import scatter

__all__ = ["SigmoidTanh", "pair_mlp", "rows_mlp", "scatter", "with_fast_activations"]
