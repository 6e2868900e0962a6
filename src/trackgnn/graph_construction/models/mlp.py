"""Default embedding model: an MLP with optional layer norm and L2-normalised output.

``depth`` hidden layers of width ``hidden``: :math:`h_{l+1} = \\sigma(\\mathrm{LN}(W_l h_l + b_l))`,
then a linear map to ``emb_dim``; with ``normalize`` the output is :math:`e / \\lVert e \\rVert_2`.
"""

from __future__ import annotations

import torch
from torch import nn

from trackgnn.graph_construction.base import EmbeddingBase
from trackgnn.graph_construction.models.registry import EMBEDDING_MODELS

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "silu": nn.SiLU, "gelu": nn.GELU}


class L2Normalize(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.normalize(x, p=2.0, dim=-1)


def make_mlp(in_dim: int, hidden: int, depth: int, out_dim: int, activation: str, layer_norm: bool) -> nn.Sequential:
    """``depth`` x (Linear, [LayerNorm], activation) then Linear to ``out_dim``."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation '{activation}'; choose one of {sorted(ACTIVATIONS)}")
    layers: list[nn.Module] = []
    width = in_dim
    for _ in range(depth):
        layers.append(nn.Linear(width, hidden))
        if layer_norm:
            layers.append(nn.LayerNorm(hidden))
        layers.append(ACTIVATIONS[activation]())
        width = hidden
    layers.append(nn.Linear(width, out_dim))
    return nn.Sequential(*layers)


@EMBEDDING_MODELS.register("mlp")
class MLPEmbedding(EmbeddingBase):
    """Hyperparameters: ``in_dim, hidden, depth, emb_dim, activation, layer_norm, normalize``."""

    def build_network(self) -> nn.Module:
        h = self.hparams
        net = make_mlp(h.in_dim, h.hidden, h.depth, h.emb_dim, h.activation, h.layer_norm)
        return nn.Sequential(net, L2Normalize()) if h.normalize else net
