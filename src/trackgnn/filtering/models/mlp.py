"""The MLP edge filter."""

from __future__ import annotations

import torch
from torch import nn

from trackgnn.filtering.registry import FILTER_MODELS
from trackgnn.nn import make_mlp, pair_mlp


@FILTER_MODELS.register("mlp")
class MLPFilter(nn.Module):
    """Edge filter scoring each candidate edge from its two hits alone.

    .. math::
        s_{ij} = \\mathrm{MLP}\\big([\\,x_i \\,\\|\\, x_j \\,\\|\\, a_{ij}\\,]\\big)

    with node features :math:`x` and geometric edge features :math:`a_{ij}`
    (:mod:`trackgnn.edge_features`); :math:`\\sigma(s_{ij})` is the filter score.

    Args:
        node_features: size :math:`F` of ``x``.
        edge_features: size :math:`A` of ``edge_attr`` (0: none).
        hidden: width of the hidden layers.
        n_layers: number of linear layers.
        layer_norm: LayerNorm after each hidden layer.
        dropout: dropout after each hidden layer.

    Shapes:
        - input: ``x`` :math:`[N, F]`, ``edge_index`` :math:`[2, E]`,
          ``edge_attr`` :math:`[E, A]` or ``None``
        - output: logits :math:`[E]`
    """

    def __init__(
        self,
        node_features: int,
        edge_features: int = 0,
        hidden: int = 64,
        n_layers: int = 3,
        layer_norm: bool = True,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.edge_features = edge_features
        self.net = make_mlp(2 * node_features + edge_features, hidden, 1, n_layers, layer_norm, dropout)

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor | None = None) -> torch.Tensor:
        return pair_mlp(self.net, x, edge_index, edge_attr if self.edge_features else None).squeeze(-1)
