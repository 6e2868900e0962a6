import pytest
import torch
from torch import nn

from trackgnn.nn import SigmoidTanh, make_mlp, with_fast_activations


def test_sigmoid_tanh_is_tanh_to_float32_rounding():
    x = torch.cat([torch.linspace(-30, 30, 20001), torch.tensor([0.0, -0.0, 1e-30, float("inf"), -float("inf")])])
    with torch.no_grad():
        got = SigmoidTanh()(x)
    reference = torch.tanh(x.double())
    assert (got.double() - reference).abs().max() < 2.5e-7
    assert got.dtype == x.dtype and got.shape == x.shape
    assert got[-2] == 1 and got[-1] == -1  # saturates like tanh
    assert torch.isnan(SigmoidTanh()(torch.tensor([float("nan")]))).all()


def test_sigmoid_tanh_takes_the_sigmoid_path_without_gradients(monkeypatch):
    def no_tanh(*args, **kwargs):
        raise AssertionError("torch.tanh called on the fast path")

    monkeypatch.setattr(torch, "tanh", no_tanh)
    with torch.no_grad():
        out = SigmoidTanh()(torch.tensor([-1.0, 0.0, 2.0]))
    monkeypatch.undo()
    torch.testing.assert_close(out, torch.tanh(torch.tensor([-1.0, 0.0, 2.0])), atol=3e-7, rtol=0)


def test_sigmoid_tanh_does_not_touch_its_input_and_trains_as_tanh():
    x = torch.randn(64, 8)
    kept = x.clone()
    with torch.no_grad():
        SigmoidTanh()(x)
    assert torch.equal(x, kept)
    w = x.clone().requires_grad_()
    SigmoidTanh()(w).sum().backward()
    assert torch.allclose(w.grad, 1 - torch.tanh(x) ** 2)  # with gradients: torch.tanh itself


@pytest.mark.parametrize("layer_norm", [True, False])
def test_fast_activations_keep_the_network(layer_norm):
    torch.manual_seed(0)
    mlp = make_mlp(3, 32, 8, 4, layer_norm, activation="tanh")
    x = torch.randn(500, 3)
    with torch.no_grad():
        before = mlp(x)
        keys = list(mlp.state_dict())
        fast = with_fast_activations(mlp)
        after = fast(x)
    assert fast is mlp and list(fast.state_dict()) == keys
    assert not any(type(m) is nn.Tanh for m in fast.modules())
    assert sum(type(m) is SigmoidTanh for m in fast.modules()) == 3
    assert (after - before).abs().max() < 1e-5
