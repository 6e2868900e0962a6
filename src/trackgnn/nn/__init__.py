"""Layers shared by the learned stages (embedding, filter, GNN)."""

from trackgnn.nn.activations import SigmoidTanh, with_fast_activations
from trackgnn.nn.mlp import ACTIVATIONS, make_mlp
from trackgnn.nn.pair_mlp import pair_mlp, rows_mlp
from trackgnn.nn.scatter import scatter

__all__ = ["ACTIVATIONS", "SigmoidTanh", "make_mlp", "pair_mlp", "rows_mlp", "scatter", "with_fast_activations"]
