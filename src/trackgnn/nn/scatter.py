"""Scatter reductions of edge messages onto nodes, importing PyG only when training.

Without gradients (inference) the reductions are the same ``torch`` calls PyG's ``scatter``
makes on CPU (``scatter_add_``; ``scatter_reduce_`` with ``amax``/``amin`` and
``include_self=False`` onto zeros), so the numbers are identical, without
``import torch_geometric`` (~4 s per scoring job). With gradients PyG's own ``scatter`` is
used: on GPU with ``torch_scatter`` installed its max/min backward is much faster.
"""

from __future__ import annotations

import torch

REDUCTIONS = ("sum", "mean", "max", "min")


def scatter(src: torch.Tensor, index: torch.Tensor, dim_size: int, reduce: str = "sum") -> torch.Tensor:
    """Reduce the rows of ``src`` :math:`[E, H]` onto ``index`` :math:`[E]` :math:`\\to [N, H]`
    with ``N = dim_size``; rows no index points at are zero.

    .. math::
        \\mathrm{out}_i = \\bigoplus_{e : \\mathrm{index}_e = i} \\mathrm{src}_e
    """
    if reduce not in REDUCTIONS:
        raise ValueError(f"unknown reduction '{reduce}'; expected one of {REDUCTIONS}")
    if torch.is_grad_enabled() and src.requires_grad:
        from torch_geometric.utils import scatter as pyg_scatter

        return pyg_scatter(src, index, 0, dim_size, reduce)
    size = (dim_size, *src.shape[1:])
    wide = index.view(-1, *([1] * (src.dim() - 1))).expand_as(src)
    if reduce in ("sum", "mean"):
        out = src.new_zeros(size).scatter_add_(0, wide, src)
        if reduce == "mean":
            count = src.new_zeros(dim_size).scatter_add_(0, index, src.new_ones(src.shape[0])).clamp_(min=1)
            out = out / count.view(-1, *([1] * (src.dim() - 1)))
        return out
    return src.new_zeros(size).scatter_reduce_(0, wide, src, "a" + reduce, include_self=False)
