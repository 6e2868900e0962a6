"""Attention (segment-classifier) GNN of HEP.TrkX (Farrell et al. 2018)."""

from __future__ import annotations

import torch
from torch import nn

from trackgnn.gnn.registry import GNN_MODELS
from trackgnn.nn import make_mlp, pair_mlp
from trackgnn.nn.scatter import scatter


@GNN_MODELS.register("attention_gnn")
class AttentionGNN(nn.Module):
    """Alternate edge attention and node updates; the input features are re-attached to
    the node state after every step, and one edge network scores edges throughout.

    .. math::
        h_i^0 = [\\phi_{in}(x_i) \\| x_i]

        w_{ij}^t = \\sigma\\big(\\phi_e([h_i^t \\| h_j^t \\| a_{ij}])\\big)

        h_i^{t+1} = \\big[\\phi_v\\big([\\textstyle\\sum_{j \\to i} w_{ji}^t h_j^t \\|
        \\sum_{i \\to k} w_{ik}^t h_k^t \\| h_i^t]\\big) \\| x_i\\big]

        s_{ij} = \\phi_e([h_i^T \\| h_j^T \\| a_{ij}])

    Args:
        node_features: size :math:`F` of ``x``.
        edge_features: size :math:`A` of ``edge_attr`` (0: none).
        hidden: width of the node state (before re-attaching ``x``).
        n_iterations: attention/update steps :math:`T`.
        n_layers: linear layers per MLP.
        layer_norm: LayerNorm in the MLPs.

    Shapes:
        - input: ``x`` :math:`[N, F]`, ``edge_index`` :math:`[2, E]`, ``edge_attr`` :math:`[E, A]`
        - output: logits :math:`[E]`
    """

    def __init__(
        self,
        node_features: int,
        edge_features: int = 0,
        hidden: int = 64,
        n_iterations: int = 4,
        n_layers: int = 2,
        layer_norm: bool = True,
    ):
        super().__init__()
        self.edge_features = edge_features
        self.n_iterations = n_iterations
        width = hidden + node_features
        self.input_net = make_mlp(node_features, hidden, hidden, n_layers, layer_norm, output_activation=True)
        self.edge_net = make_mlp(2 * width + edge_features, hidden, 1, n_layers, layer_norm)
        self.node_net = make_mlp(3 * width, hidden, hidden, n_layers, layer_norm, output_activation=True)

    def _edge_logits(self, h, edge_index, edge_attr):
        return pair_mlp(self.edge_net, h, edge_index, edge_attr if self.edge_features else None).squeeze(-1)

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor | None = None) -> torch.Tensor:
        src, dst = edge_index
        n = x.shape[0]
        h = torch.cat([self.input_net(x), x], dim=1)
        for _ in range(self.n_iterations):
            w = torch.sigmoid(self._edge_logits(h, edge_index, edge_attr)).unsqueeze(1)
            from_inner = scatter(w * h[src], dst, n, "sum")
            from_outer = scatter(w * h[dst], src, n, "sum")
            h = torch.cat([self.node_net(torch.cat([from_inner, from_outer, h], dim=1)), x], dim=1)
        return self._edge_logits(h, edge_index, edge_attr)
