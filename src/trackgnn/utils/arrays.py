"""Set operations on large integer key arrays, by sorting.

NumPy 2's ``np.unique`` without ``return_*`` options (and ``np.isin`` against a large
table) took seconds on the few million edge keys of a full-size event, where a sort takes
a tenth of a second; these helpers give the same answers through ``np.sort`` and
``np.searchsorted``.
"""

from __future__ import annotations

import numpy as np


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, ascending (``np.unique(values)``)."""
    ordered = np.sort(np.asarray(values).ravel())
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def member_of(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Boolean mask: which entries of ``values`` occur in ``table`` (``np.isin(values, table)``)."""
    values = np.asarray(values)
    table = sorted_unique(table)
    if len(table) == 0:
        return np.zeros(values.shape, dtype=bool)
    pos = np.searchsorted(table, values)
    pos[pos == len(table)] = 0
    return table[pos] == values
