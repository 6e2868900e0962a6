"""Neighbourhood aggregation of edge messages onto nodes (sum, max or both)."""

from __future__ import annotations

import torch

from trackgnn.nn.scatter import scatter

AGGREGATIONS = ("sum", "mean", "max", "sum_max")


def aggregate(messages: torch.Tensor, index: torch.Tensor, num_nodes: int, how: str) -> torch.Tensor:
    """Aggregate ``[E, H]`` messages onto ``index`` nodes.

    .. math::
        m_i = \\bigoplus_{e : \\mathrm{index}(e) = i} \\mu_e, \\qquad
        \\bigoplus \\in \\{\\Sigma, \\mathrm{mean}, \\max, [\\Sigma \\| \\max]\\}

    Returns:
        ``[N, H]`` (``[N, 2H]`` for ``sum_max``); nodes without edges get zeros.
    """
    parts = aggregate_parts(messages, index, num_nodes, how)
    return parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)


def aggregate_parts(messages: torch.Tensor, index: torch.Tensor, num_nodes: int, how: str) -> list[torch.Tensor]:
    """:func:`aggregate` before the final concatenation: one ``[N, H]`` tensor per reduction."""
    if how not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation '{how}'; expected one of {AGGREGATIONS}")
    return [scatter(messages, index, num_nodes, r) for r in (("sum", "max") if how == "sum_max" else (how,))]


def aggregation_width(how: str) -> int:
    """Multiplier of the hidden size produced by :func:`aggregate`."""
    return 2 if how == "sum_max" else 1
