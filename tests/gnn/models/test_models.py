"""Every registered GNN: output shape, gradients, node relabelling, options."""

import pytest
import torch

import trackgnn.gnn.models  # noqa: F401
from trackgnn.gnn.models.aggregation import aggregate
from trackgnn.gnn.registry import GNN_MODELS


def _graph(n=30, e=80, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    edge_index = torch.randint(0, n, (2, e), generator=g)
    return x, edge_index, torch.randn(e, 6, generator=g)


def test_registry_holds_two_architectures():
    assert {"interaction_network", "attention_gnn"} <= set(GNN_MODELS.names())


@pytest.mark.parametrize("name", GNN_MODELS.names())
def test_shape_gradients_and_permutation_equivariance(name):
    torch.manual_seed(0)
    net = GNN_MODELS.get(name)(node_features=3, edge_features=6, hidden=16, n_iterations=2).eval()
    x, edge_index, attr = _graph()
    out = net(x, edge_index, attr)
    assert out.shape == (edge_index.shape[1],)
    out.sum().backward()
    assert all(p.grad is not None for p in net.parameters() if p.requires_grad)
    perm = torch.randperm(x.shape[0])
    inverse = torch.empty_like(perm)
    inverse[perm] = torch.arange(len(perm))
    out_perm = net(x[perm], inverse[edge_index], attr)
    assert torch.allclose(out, out_perm, atol=1e-5)


def test_interaction_network_checkpointing_matches():
    torch.manual_seed(0)
    kwargs = dict(node_features=3, edge_features=6, hidden=16, n_iterations=3)
    plain = GNN_MODELS.get("interaction_network")(**kwargs)
    ckpt = GNN_MODELS.get("interaction_network")(**kwargs, checkpointing=True)
    ckpt.load_state_dict(plain.state_dict())
    x, edge_index, attr = _graph()
    plain.train(), ckpt.train()
    a, b = plain(x, edge_index, attr), ckpt(x, edge_index, attr)
    assert torch.allclose(a, b, atol=1e-6)
    a.sum().backward(), b.sum().backward()
    for p, q in zip(plain.parameters(), ckpt.parameters()):
        assert torch.allclose(p.grad, q.grad, atol=1e-5)


def test_messages_depend_on_neighbours():
    """Changing a node's features changes the score of an edge two hops away."""
    torch.manual_seed(0)
    net = GNN_MODELS.get("interaction_network")(node_features=3, edge_features=0, hidden=16, n_iterations=2).eval()
    x = torch.randn(4, 3)
    edge_index = torch.tensor([[0, 1, 2], [1, 2, 3]])
    before = net(x, edge_index)
    x2 = x.clone()
    x2[0] += 1.0
    after = net(x2, edge_index)
    assert not torch.isclose(before[2], after[2])


def test_sum_max_aggregation():
    messages = torch.tensor([[1.0], [3.0], [2.0]])
    index = torch.tensor([0, 0, 2])
    out = aggregate(messages, index, 3, "sum_max")
    assert out.tolist() == [[4.0, 3.0], [0.0, 0.0], [2.0, 2.0]]
    with pytest.raises(ValueError):
        aggregate(messages, index, 3, "median")
