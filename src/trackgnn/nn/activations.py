"""Activations rewritten for CPU inference speed, same function up to float32 rounding.

On the 2-core CPU machines this project runs on, ``torch.tanh`` costs ~1 ns per element,
ten times ``torch.sigmoid``: it was half of the embedding's inference time on a full-size
event. :class:`SigmoidTanh` computes the same function through the sigmoid.
"""

from __future__ import annotations

import torch
from torch import nn


class SigmoidTanh(nn.Module):
    r"""Hyperbolic tangent through the logistic sigmoid:

    .. math::
        \tanh(x) = 2\,\sigma(2x) - 1

    Without gradients it works in one buffer (scale, sigmoid, scale, shift in place):
    ~4.7x faster than ``torch.tanh`` on a [16384, 128] block on 2 cores, absolute error
    below 2e-7 (``torch.tanh``: 3e-8). With gradients it is ``torch.tanh``, so training is
    unchanged.

    Shapes:
        - input: any
        - output: same as input
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.is_grad_enabled() and x.requires_grad:
            return torch.tanh(x)
        y = x.mul(2.0)
        torch.sigmoid(y, out=y)
        return y.mul_(2.0).sub_(1.0)


def with_fast_activations(module: nn.Module) -> nn.Module:
    """``module`` with every ``nn.Tanh`` replaced by :class:`SigmoidTanh` (in place; parameters
    and ``state_dict`` keys untouched, as activations hold none). Returns ``module``."""
    for name, child in module.named_children():
        if type(child) is nn.Tanh:
            setattr(module, name, SigmoidTanh())
        else:
            with_fast_activations(child)
    return module
