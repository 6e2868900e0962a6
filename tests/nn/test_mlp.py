"""The one MLP builder reproduces the two builders it replaced (issue #27): same layers, same
parameter names in the same order, same outputs from the same seed, so the state dicts of
models trained before load unchanged and give the same scores."""

import pytest
import torch
from torch import nn

from trackgnn.nn import make_mlp


def edge_classifier_mlp_before(
    in_features, hidden, out_features, n_layers=2, layer_norm=True, dropout=0.0, output_activation=False
):
    """The builder of ``trackgnn.filtering.models.mlp`` before the merge (filter and GNNs)."""
    sizes = [in_features] + [hidden] * (n_layers - 1) + [out_features]
    layers = []
    for k in range(n_layers):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        last = k == n_layers - 1
        if not last or output_activation:
            if layer_norm:
                layers.append(nn.LayerNorm(sizes[k + 1]))
            layers.append(nn.ReLU(inplace=True))
            if dropout and not last:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def embedding_mlp_before(in_dim, hidden, depth, out_dim, activation, layer_norm):
    """The builder of ``trackgnn.graph_construction.models.mlp`` before the merge."""
    acts = {"relu": nn.ReLU, "tanh": nn.Tanh, "silu": nn.SiLU, "gelu": nn.GELU}
    layers, width = [], in_dim
    for _ in range(depth):
        layers.append(nn.Linear(width, hidden))
        if layer_norm:
            layers.append(nn.LayerNorm(hidden))
        layers.append(acts[activation]())
        width = hidden
    layers.append(nn.Linear(width, out_dim))
    return nn.Sequential(*layers)


def assert_same_network(old: nn.Sequential, new: nn.Sequential, in_features: int) -> None:
    assert [type(m) for m in new] == [type(m) for m in old]
    assert list(new.state_dict()) == list(old.state_dict())
    for key, value in old.state_dict().items():
        assert torch.equal(new.state_dict()[key], value), key
    x = torch.randn(257, in_features, generator=torch.Generator().manual_seed(1))
    old.eval(), new.eval()
    with torch.no_grad():
        assert torch.equal(new(x), old(x))


@pytest.mark.parametrize("n_layers", [1, 2, 3])
@pytest.mark.parametrize("layer_norm", [True, False])
@pytest.mark.parametrize("output_activation", [True, False])
@pytest.mark.parametrize("dropout", [0.0, 0.2])
def test_edge_classifier_mlps_are_unchanged(n_layers, layer_norm, output_activation, dropout):
    torch.manual_seed(7)
    old = edge_classifier_mlp_before(11, 16, 5, n_layers, layer_norm, dropout, output_activation)
    torch.manual_seed(7)
    new = make_mlp(11, 16, 5, n_layers, layer_norm, dropout, output_activation)
    assert_same_network(old, new, 11)


@pytest.mark.parametrize("depth", [1, 3])
@pytest.mark.parametrize("activation", ["relu", "tanh", "silu", "gelu"])
@pytest.mark.parametrize("layer_norm", [True, False])
def test_embedding_mlps_are_unchanged(depth, activation, layer_norm):
    torch.manual_seed(3)
    old = embedding_mlp_before(6, 32, depth, 8, activation, layer_norm)
    torch.manual_seed(3)
    new = make_mlp(6, 32, 8, depth + 1, layer_norm, activation=activation)
    assert_same_network(old, new, 6)


def test_embedding_model_keeps_its_parameter_names():
    from trackgnn.graph_construction.models.mlp import MLPEmbedding

    names = list(MLPEmbedding(in_dim=3, emb_dim=4, hidden=8, depth=2).state_dict())
    assert names == [f"0.{i}.{p}" for i in (0, 1, 3, 4, 6) for p in ("weight", "bias")]
    flat = list(MLPEmbedding(in_dim=3, emb_dim=4, hidden=8, depth=2, normalize=False).state_dict())
    assert flat == [name[2:] for name in names]


@pytest.mark.parametrize(
    "bad, message", [({"n_layers": 0}, "at least one layer"), ({"activation": "swish"}, "unknown activation 'swish'")]
)
def test_bad_arguments_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        make_mlp(3, 4, 5, **bad)
