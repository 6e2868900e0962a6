"""Default embedding model: an MLP with optional layer norm and L2-normalised output."""

from __future__ import annotations

import torch
from torch import nn

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
class MLPEmbedding(nn.Sequential):
    r"""``depth`` hidden layers of width ``hidden``, then a linear map to ``emb_dim``:

    $$h_{l+1} = \sigma(\mathrm{LN}(W_l h_l + b_l)), \qquad e = W_{out} h_{depth} + b_{out},$$

    and with ``normalize`` the output is $e / \lVert e \rVert_2$ (the embeddings lie on the unit
    sphere, so the radius means the same whatever the scale the training settles on).

    Args:
        in_dim: node features $F$.
        emb_dim: embedding dimension $D$.
        hidden: hidden width.
        depth: hidden layers.
        activation: ``relu``, ``tanh``, ``silu`` or ``gelu``.
        layer_norm: LayerNorm after each hidden linear layer.
        normalize: L2-normalise the output.

    Shapes:
        - input: $[N, F]$
        - output: $[N, D]$
    """

    def __init__(self, in_dim: int, emb_dim: int = 8, hidden: int = 128, depth: int = 3,
                 activation: str = "tanh", layer_norm: bool = True, normalize: bool = True):
        mlp = make_mlp(in_dim, hidden, depth, emb_dim, activation, layer_norm)
        # with normalize the MLP is one child (parameter names ``0.<i>.*``), else its layers are
        super().__init__(mlp, L2Normalize()) if normalize else super().__init__(*mlp)
