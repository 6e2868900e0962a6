"""pair_mlp / rows_mlp give the naive concatenated MLP's numbers, in every mode."""

import pytest
import torch

from trackgnn.nn import make_mlp, pair_mlp, rows_mlp


def naive(mlp, h, edge_index, extra=None):
    parts = [h[edge_index[0]], h[edge_index[1]]] + ([] if extra is None else [extra])
    return mlp(torch.cat(parts, dim=1))


def graph(n_nodes=50, n_edges=333, width=8, extra=0, seed=0):
    g = torch.Generator().manual_seed(seed)
    h = torch.randn(n_nodes, width, generator=g)
    edge_index = torch.randint(0, n_nodes, (2, n_edges), generator=g)
    a = torch.randn(n_edges, extra, generator=g) if extra else None
    return h, edge_index, a


@pytest.mark.parametrize("width,hidden", [(8, 8), (16, 8), (3, 16)])  # projected, projected, concatenated
@pytest.mark.parametrize("extra", [0, 5])
@pytest.mark.parametrize("chunk", [None, 1, 64, 10_000])
def test_matches_naive_without_grad(width, hidden, extra, chunk):
    torch.manual_seed(1)
    mlp = make_mlp(2 * width + extra, hidden, 4, n_layers=3)
    h, edge_index, a = graph(width=width, extra=extra)
    with torch.no_grad():
        expected = naive(mlp, h, edge_index, a)
        got = pair_mlp(mlp, h, edge_index, a, chunk=chunk)
    assert got.shape == expected.shape == (edge_index.shape[1], 4)
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_residual_in_place_without_grad_and_out_of_place_with_grad():
    torch.manual_seed(2)
    mlp = make_mlp(2 * 8 + 8, 8, 8, n_layers=2, output_activation=True)
    h, edge_index, e = graph(width=8, extra=8)
    expected = e + naive(mlp, h, edge_index, e)
    with torch.no_grad():
        state = e.clone()
        got = pair_mlp(mlp, h, edge_index, state, chunk=50, residual=True)
    assert got.data_ptr() == state.data_ptr()  # updated in place, block by block
    torch.testing.assert_close(got, expected.detach(), rtol=1e-5, atol=1e-5)
    # with autograd the input is left alone and gradients flow to the MLP's weights
    before = e.clone()
    out = pair_mlp(mlp, h, edge_index, e, chunk=50, residual=True)
    torch.testing.assert_close(e, before)
    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)
    out.sum().backward()
    assert mlp[0].weight.grad is not None and mlp[0].weight.grad.abs().sum() > 0


def test_gradients_match_naive():
    torch.manual_seed(3)
    mlp = make_mlp(2 * 8 + 3, 8, 1, n_layers=2)
    h, edge_index, a = graph(width=8, extra=3)
    naive(mlp, h, edge_index, a).sum().backward()
    expected = [p.grad.clone() for p in mlp.parameters()]
    mlp.zero_grad()
    pair_mlp(mlp, h, edge_index, a).sum().backward()
    for got, want in zip((p.grad for p in mlp.parameters()), expected):
        torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-5)


def test_no_edges_gives_empty_output():
    mlp = make_mlp(2 * 8, 8, 3)
    h, _, _ = graph(width=8)
    with torch.no_grad():
        assert pair_mlp(mlp, h, torch.zeros(2, 0, dtype=torch.long)).shape == (0, 3)


def test_wrong_input_width_is_a_clear_error():
    mlp = make_mlp(10, 8, 1)
    h, edge_index, _ = graph(width=8)
    with pytest.raises(ValueError, match="Linear\\(16"):
        pair_mlp(mlp, h, edge_index)
    with pytest.raises(ValueError, match="extra"):
        pair_mlp(make_mlp(16, 8, 8), h, edge_index, residual=True)


@pytest.mark.parametrize("chunk", [None, 7, 1000])
def test_rows_mlp_matches_concatenation_with_residual(chunk):
    torch.manual_seed(4)
    mlp = make_mlp(3 * 6, 6, 6, output_activation=True)
    parts = [torch.randn(40, 6) for _ in range(3)]
    expected = parts[0] + mlp(torch.cat(parts, dim=1))
    with torch.no_grad():
        got = rows_mlp(mlp, [p.clone() for p in parts], chunk=chunk, residual=parts[0].clone())
    torch.testing.assert_close(got, expected.detach(), rtol=1e-5, atol=1e-5)
    with torch.no_grad():
        plain = rows_mlp(mlp, parts, chunk=chunk)
    torch.testing.assert_close(plain, (expected - parts[0]).detach(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("bias", [True, False])
def test_rows_mlp_first_layer_by_parts_matches_concatenation(bias):
    torch.manual_seed(5)
    mlp = make_mlp(4 + 6 + 2, 8, 8, output_activation=True)
    mlp[0] = torch.nn.Linear(12, 8, bias=bias)
    parts = [torch.randn(50, w) for w in (4, 6, 2)]
    expected = mlp(torch.cat(parts, dim=1))
    with torch.no_grad():
        got = rows_mlp(mlp, parts, chunk=16)
    torch.testing.assert_close(got, expected.detach(), rtol=1e-5, atol=1e-5)
    # a first layer of another width is a clear error, not a silent fallback
    with torch.no_grad(), pytest.raises(RuntimeError):
        rows_mlp(mlp, parts[:2])
