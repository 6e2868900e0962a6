"""Interaction Network edge classifier (Battaglia et al. 2016, as used by Exa.TrkX)."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from trackgnn.gnn.models.aggregation import aggregate_parts, aggregation_width
from trackgnn.gnn.registry import GNN_MODELS
from trackgnn.nn import make_mlp, pair_mlp, rows_mlp


@GNN_MODELS.register("interaction_network")
class InteractionNetwork(nn.Module):
    """Encode, process with :math:`T` residual interaction steps, classify edges.

    .. math::
        h_i^0 = \\phi_v(x_i), \\qquad e_{ij}^0 = \\phi_e([x_i \\| x_j \\| a_{ij}])

        e_{ij}^{t+1} = e_{ij}^t + \\psi_e([h_i^t \\| h_j^t \\| e_{ij}^t])

        h_i^{t+1} = h_i^t + \\psi_v\\big([h_i^t \\| \\bigoplus_{j \\to i} e_{ji}^{t+1}
        \\| \\bigoplus_{i \\to k} e_{ik}^{t+1}]\\big)

        s_{ij} = \\phi_c([h_i^T \\| h_j^T \\| e_{ij}^T])

    Messages are aggregated separately from inner (incoming) and outer (outgoing)
    neighbours with :math:`\\oplus` = ``aggregation`` (``sum_max`` concatenates both).

    Args:
        node_features: size :math:`F` of ``x``.
        edge_features: size :math:`A` of ``edge_attr`` (0: none).
        hidden: width :math:`H` of node and edge states.
        n_iterations: message-passing steps :math:`T`.
        n_layers: linear layers per MLP.
        aggregation: ``sum``, ``mean``, ``max`` or ``sum_max``.
        layer_norm: LayerNorm in the MLPs.
        checkpointing: recompute each step in the backward pass (saves memory on large graphs).

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
        aggregation: str = "sum_max",
        layer_norm: bool = True,
        checkpointing: bool = False,
    ):
        super().__init__()
        self.edge_features = edge_features
        self.aggregation = aggregation
        self.checkpointing = checkpointing
        agg = aggregation_width(aggregation)
        self.node_encoder = make_mlp(node_features, hidden, hidden, n_layers, layer_norm, output_activation=True)
        self.edge_encoder = make_mlp(
            2 * node_features + edge_features, hidden, hidden, n_layers, layer_norm, output_activation=True
        )
        self.edge_nets = nn.ModuleList(
            make_mlp(3 * hidden, hidden, hidden, n_layers, layer_norm, output_activation=True)
            for _ in range(n_iterations)
        )
        self.node_nets = nn.ModuleList(
            make_mlp((1 + 2 * agg) * hidden, hidden, hidden, n_layers, layer_norm, output_activation=True)
            for _ in range(n_iterations)
        )
        self.classifier = make_mlp(3 * hidden, hidden, 1, n_layers, layer_norm)

    def _step(self, t: int, h: torch.Tensor, e: torch.Tensor, edge_index: torch.Tensor):
        src, dst = edge_index
        e = pair_mlp(self.edge_nets[t], h, edge_index, e, residual=True)
        n = h.shape[0]
        incoming = aggregate_parts(e, dst, n, self.aggregation)
        outgoing = aggregate_parts(e, src, n, self.aggregation)
        h = rows_mlp(self.node_nets[t], [h, *incoming, *outgoing], residual=h)
        return h, e

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor | None = None) -> torch.Tensor:
        h = self.node_encoder(x)
        e = pair_mlp(self.edge_encoder, x, edge_index, edge_attr if self.edge_features else None)
        for t in range(len(self.edge_nets)):
            if self.checkpointing and self.training and torch.is_grad_enabled():
                h, e = checkpoint(self._step, t, h, e, edge_index, use_reentrant=False)
            else:
                h, e = self._step(t, h, e, edge_index)
        return pair_mlp(self.classifier, h, edge_index, e).squeeze(-1)
