"""Default embedding model: an MLP with optional layer norm and L2-normalised output."""

from __future__ import annotations

import torch
from torch import nn

from trackgnn.graph_construction.models.registry import EMBEDDING_MODELS
from trackgnn.nn.mlp import make_mlp


class L2Normalize(nn.Module):
    """Rows scaled to unit L2 norm: :math:`[N, D] \\to [N, D]`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.normalize(x, p=2.0, dim=-1)


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

    def __init__(
        self,
        in_dim: int,
        emb_dim: int = 8,
        hidden: int = 128,
        depth: int = 3,
        activation: str = "tanh",
        layer_norm: bool = True,
        normalize: bool = True,
    ):
        mlp = make_mlp(in_dim, hidden, emb_dim, depth + 1, layer_norm, activation=activation)
        # with normalize the MLP is one child (parameter names ``0.<i>.*``), else its layers are
        super().__init__(mlp, L2Normalize()) if normalize else super().__init__(*mlp)
