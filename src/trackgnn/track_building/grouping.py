"""Per-group operations, vectorised: picking one element per group (the best hit of a track,
the best track of a hit) and listing the members of chosen groups."""

from __future__ import annotations

import numpy as np


def argmin_per_group(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Index of the lowest ``score`` in each group present, groups in increasing order.

    Args:
        group: int [M] group of each element.
        score: float [M]; ties go to the earlier element.

    Returns:
        int64 [G] indices into ``group`` / ``score``, one per distinct group.
    """
    order = np.lexsort((score, group))
    _, first = np.unique(group[order], return_index=True)
    return order[first]


def concat_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[i], starts[i] + 1, ..., starts[i] + lengths[i] - 1`` for every ``i``, concatenated.

    Gathers the members of many groups held contiguously in one sorted array without a Python
    list of per-group arrays (``np.split`` of a full-size event makes ~10^5 of them).

    Args:
        starts, lengths: int [G] first position and size of each range (sizes >= 0).

    Returns:
        int64 [sum(lengths)].
    """
    starts, lengths = np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
