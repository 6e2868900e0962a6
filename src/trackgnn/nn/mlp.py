"""The one MLP builder of the package: the embedding, the edge filter and the GNNs use it."""

from __future__ import annotations

from torch import nn

#: Hidden-layer activations by config name. ReLU runs in place: it always acts on a fresh
#: output (of a Linear or a LayerNorm), so no extra ``[E, H]`` array is kept.
ACTIVATIONS = {
    "relu": lambda: nn.ReLU(inplace=True),
    "tanh": nn.Tanh,
    "silu": nn.SiLU,
    "gelu": nn.GELU,
}


def make_mlp(
    in_features: int,
    hidden: int,
    out_features: int,
    n_layers: int = 2,
    layer_norm: bool = True,
    dropout: float = 0.0,
    output_activation: bool = False,
    activation: str = "relu",
) -> nn.Sequential:
    r"""``n_layers`` linear layers ``in -> hidden -> ... -> hidden -> out``.

    .. math::
        h_{k+1} = \mathrm{Drop}\big(\sigma(\mathrm{LN}(W_k h_k + b_k))\big), \qquad
        y = W_{L-1} h_{L-1} + b_{L-1}

    Hidden layers are ``Linear -> [LayerNorm] -> activation -> [Dropout]``; the last layer is
    plain linear unless ``output_activation`` (then also ``[LayerNorm] -> activation``, without
    dropout: the encoders and residual updates of the GNNs).

    Args:
        in_features: input width.
        hidden: width of the hidden layers.
        out_features: output width.
        n_layers: number of linear layers :math:`L \ge 1` (``1``: one ``Linear``).
        layer_norm: LayerNorm after each linear layer that has an activation.
        dropout: dropout probability after each hidden activation.
        output_activation: normalise and activate the output too.
        activation: a name of :data:`ACTIVATIONS`.

    Shapes:
        - input: :math:`[*, \mathrm{in}]`
        - output: :math:`[*, \mathrm{out}]`

    Returns:
        An ``nn.Sequential`` whose parameter names are ``<index>.weight`` / ``<index>.bias``
        in the order above.
    """
    if n_layers < 1:
        raise ValueError(f"an MLP needs at least one layer, got n_layers={n_layers}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation '{activation}'; choose one of {sorted(ACTIVATIONS)}")
    sizes = [in_features] + [hidden] * (n_layers - 1) + [out_features]
    layers: list[nn.Module] = []
    for k in range(n_layers):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        last = k == n_layers - 1
        if not last or output_activation:
            if layer_norm:
                layers.append(nn.LayerNorm(sizes[k + 1]))
            layers.append(ACTIVATIONS[activation]())
            if dropout and not last:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)
