"""Picking one element per group, vectorised (the best hit of a track, the best track of a hit)."""

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
