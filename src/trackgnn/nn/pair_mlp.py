"""An MLP on edge pairs ``[h_i || h_j || a_ij]``, evaluated without building the concatenation.

Every edge classifier here (filter, Interaction Network, attention GNN) scores an edge with
an MLP on its two nodes' states and, optionally, an edge state. On CPU the naive form,
``mlp(torch.cat([h[src], h[dst], a]))``, is memory-bound: each ``[E, ·]`` intermediate of a
full-size event (10^5-10^6 edges) is tens of MB, far larger than the caches. This function
computes the same numbers faster in two ways:

* first layer split by blocks of its weight :math:`W = [W_s \\| W_d \\| W_a]`:

  .. math::
      W [h_i \\| h_j \\| a_{ij}] + b = (h W_s^\\top)_i + (h W_d^\\top)_j + a_{ij} W_a^\\top + b

  so the node projections are computed once per node (:math:`N \\ll E`) and gathered,
  when the node width is at least the layer's output width (otherwise gathering the narrow
  node rows and concatenating is cheaper, and is what happens);
* the layers run on blocks of ``chunk`` edges, so the intermediates stay in cache.

The parameters are the MLP's own: checkpoints do not change, and the result equals the naive
form up to float rounding.
"""

from __future__ import annotations

import torch
from torch import nn

#: Edges per block when no gradient is recorded (chosen on a 2-core CPU, mu = 200 graphs).
INFERENCE_CHUNK = 16384


def pair_mlp(
    mlp: nn.Sequential,
    h: torch.Tensor,
    edge_index: torch.Tensor,
    extra: torch.Tensor | None = None,
    chunk: int | None = None,
    residual: bool = False,
) -> torch.Tensor:
    """``mlp(cat([h[src], h[dst], extra], dim=1))`` (plus ``extra`` with ``residual``).

    Args:
        mlp: a ``Sequential`` whose first module is an ``nn.Linear`` taking ``2H + A`` inputs.
        h: node states :math:`[N, H]`.
        edge_index: :math:`[2, E]` (source, target) node indices.
        extra: per-edge inputs :math:`[E, A]` appended after the two node states, or ``None``.
        chunk: edges per block; ``None``: :data:`INFERENCE_CHUNK` under ``torch.no_grad`` /
            inference mode, one block when gradients are recorded.
        residual: return ``extra + mlp(...)`` (needs :math:`O = A`). Without gradients the sum
            is written into ``extra`` in place, block by block (each block's old values are
            read before they are replaced), which saves an ``[E, A]`` allocation per call.

    Returns:
        :math:`[E, O]`, the MLP's output per edge.
    """
    first = mlp[0]
    width = h.shape[1]
    n_extra = 0 if extra is None else extra.shape[1]
    if not isinstance(first, nn.Linear) or first.in_features != 2 * width + n_extra:
        raise ValueError(
            f"pair_mlp needs an MLP starting with Linear({2 * width + n_extra}, ·) for node width {width} "
            f"and {n_extra} edge inputs; got {first}"
        )
    if residual and extra is None:
        raise ValueError("pair_mlp(residual=True) needs the edge inputs 'extra'")
    src, dst = edge_index
    n_edges = src.shape[0]
    chunk = max(int(chunk or (n_edges if torch.is_grad_enabled() else INFERENCE_CHUNK)), 1)
    if width >= first.out_features:  # project nodes once, gather the projections
        w = first.weight
        from_src, from_dst, w_extra = h @ w[:, :width].t(), h @ w[:, width : 2 * width].t(), w[:, 2 * width :]

        def first_layer(s, d, a):
            z = from_src.index_select(0, s).add_(from_dst.index_select(0, d))
            if a is not None:
                z.addmm_(a, w_extra.t())
            return z if first.bias is None else z.add_(first.bias)
    else:  # narrow nodes: gather and concatenate

        def first_layer(s, d, a):
            return first(torch.cat([h.index_select(0, s), h.index_select(0, d)] + ([] if a is None else [a]), dim=1))

    def block(start: int, stop: int) -> torch.Tensor:
        a = None if extra is None else extra[start:stop]
        return mlp[1:](first_layer(src[start:stop], dst[start:stop], a))

    return blockwise(block, n_edges, chunk, extra if residual else None)


def rows_mlp(
    mlp: nn.Module, parts: list[torch.Tensor], chunk: int | None = None, residual: torch.Tensor | None = None
) -> torch.Tensor:
    """``mlp(cat(parts, dim=1))`` (plus ``residual``) for row-aligned ``parts`` :math:`[N, \\cdot]`,
    in blocks of ``chunk`` rows as in :func:`pair_mlp`. Without gradients a ``residual`` is
    updated in place, and a first ``nn.Linear`` layer is applied part by part,

    .. math::
        W [p_1 \\| \\dots \\| p_K] + b = b + \\textstyle\\sum_k p_k W_k^\\top ,

    so the concatenation (5 times the node width per row in the Interaction Network, larger
    than the cache for a block) is never written; with gradients it is built per block."""
    n_rows = parts[0].shape[0]
    chunk = max(int(chunk or (n_rows if torch.is_grad_enabled() else INFERENCE_CHUNK)), 1)
    first = mlp[0] if isinstance(mlp, nn.Sequential) and len(mlp) else None
    widths = [p.shape[1] for p in parts]
    if (
        not torch.is_grad_enabled()
        and isinstance(first, nn.Linear)
        and len(parts) > 1
        and first.in_features == sum(widths)
    ):
        starts = [sum(widths[:k]) for k in range(len(widths))]
        weights = [first.weight[:, a : a + w].t() for a, w in zip(starts, widths)]
        rest = mlp[1:]

        def block(start: int, stop: int) -> torch.Tensor:
            z = parts[0][start:stop] @ weights[0]
            for p, w in zip(parts[1:], weights[1:]):
                z.addmm_(p[start:stop], w)
            return rest(z if first.bias is None else z.add_(first.bias))

    else:

        def block(start: int, stop: int) -> torch.Tensor:
            return mlp(torch.cat([p[start:stop] for p in parts], dim=1))

    return blockwise(block, n_rows, chunk, residual)


def blockwise(block, n_rows: int, chunk: int, residual: torch.Tensor | None) -> torch.Tensor:
    """Stack ``block(start, stop)`` over ``[0, n_rows)`` in steps of ``chunk``, plus ``residual``.

    With gradients (or one block) the blocks are concatenated and the residual added out of
    place; otherwise each block is written into a preallocated output, or added into
    ``residual`` in place (a block reads only its own rows of it, before they change).
    """
    if torch.compiler.is_exporting() or torch.jit.is_tracing():
        # an exported program takes graphs of any size: one block, no loop over a traced size
        out = block(0, n_rows)
        return out if residual is None else residual + out
    if torch.is_grad_enabled() or chunk >= n_rows:
        out = torch.cat([block(s, s + chunk) for s in range(0, n_rows, chunk)]) if n_rows else block(0, 0)
        return out if residual is None else residual + out
    out = residual
    for start in range(0, n_rows, chunk):
        values = block(start, start + chunk)
        if out is None:
            out = values.new_empty(n_rows, values.shape[1])
        if residual is None:
            out[start : start + chunk] = values
        else:
            out[start : start + chunk] += values
    return out
