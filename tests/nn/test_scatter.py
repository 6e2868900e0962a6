import pytest
import torch
from torch_geometric.utils import scatter as pyg_scatter

from trackgnn.nn import scatter


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min"])
@pytest.mark.parametrize("shape", [(50, 6), (50,)])
def test_matches_pyg_without_gradients_bit_for_bit(reduce, shape):
    torch.manual_seed(0)
    src = torch.randn(*shape)
    index = torch.randint(0, 12, (shape[0],))
    index[index == 3] = 4  # node 3 gets nothing: zeros, as in PyG
    with torch.no_grad():
        out = scatter(src, index, 15, reduce)
    expected = pyg_scatter(src, index, 0, 15, reduce)
    assert out.shape == expected.shape == (15, *shape[1:])
    assert torch.equal(out, expected)
    assert not out[3].any() and not out[14].any()


def test_gradients_flow_to_the_maxima():
    torch.manual_seed(1)
    src = torch.randn(20, 3, requires_grad=True)
    index = torch.arange(20) % 5
    scatter(src, index, 5, "max").sum().backward()
    assert src.grad is not None and src.grad.sum() == 15  # one maximum per (node, column)


def test_empty_and_unknown():
    with torch.inference_mode():
        assert scatter(torch.zeros(0, 4), torch.zeros(0, dtype=torch.long), 3, "max").shape == (3, 4)
    with pytest.raises(ValueError, match="unknown reduction"):
        scatter(torch.zeros(2, 1), torch.zeros(2, dtype=torch.long), 1, "mul")
