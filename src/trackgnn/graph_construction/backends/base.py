"""The neighbour-search interface shared by every backend.

A backend answers one question for points :math:`p_i \\in \\mathbb{R}^D`: all ordered pairs
:math:`(i, j), i \\ne j` with :math:`\\lVert p_i - p_j \\rVert < r`, keeping for each query
:math:`i` at most its ``k`` nearest such neighbours. Neighbours beyond ``k`` are never
dropped silently: their number is returned (and logged by the caller).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Neighbours:
    """Result of a radius search.

    Attributes:
        src, dst: int64 [P], query index and neighbour index (``src != dst``).
        dist: float32 [P], Euclidean distance of each pair.
        n_dropped: in-radius neighbours not returned because of the ``k`` cap.
        n_capped: queries that hit the cap.
        dropped_estimated: ``n_dropped``/``n_capped`` are scaled up from a sample of the
            capped queries (``count_dropped: sample``), not counted one by one.
    """

    src: np.ndarray
    dst: np.ndarray
    dist: np.ndarray
    n_dropped: int = 0
    n_capped: int = 0
    dropped_estimated: bool = False


class NeighbourSearch:
    """Base class: subclasses implement :meth:`search`; constructor options are backend-specific.

    Args:
        threads: CPU threads the backend may use (``None``: library default).
    """

    name = "base"

    def __init__(self, threads: int | None = None, **options):
        if options:
            raise ValueError(f"backend '{self.name}': unknown option(s) {sorted(options)}")
        self.threads = threads

    def search(self, points: np.ndarray, radius: float, k: int | None) -> Neighbours:
        """Pairs within ``radius`` (``k``: cap per query, ``None`` for no cap).

        Args:
            points: float32 [N, D].
        """
        raise NotImplementedError


#: Capped queries recounted by ``count_dropped: sample``: the estimate of the dropped
#: neighbours then has a relative statistical error of ~1/sqrt(2000), about 2%.
DROPPED_SAMPLE = 2000
DROPPED_MODES = {True: "exact", False: "off", "exact": "exact", "sample": "sample", "off": "off"}


def dropped_mode(value) -> str:
    """``count_dropped`` as ``exact`` (``true``), ``sample`` or ``off`` (``false``).

    ``exact`` recounts every query that filled its ``k`` slots (on dense graphs, seconds per
    100k points: more than the search); ``sample`` recounts a seeded random sample of
    :data:`DROPPED_SAMPLE` of them and scales up; ``off`` reports only how many queries were
    capped (an upper bound on the hits that lost neighbours)."""
    try:
        return DROPPED_MODES[value]
    except (KeyError, TypeError):
        raise ValueError(f"count_dropped must be true, false, 'exact', 'sample' or 'off'; got {value!r}") from None


def count_beyond_cap(
    count_within, capped: np.ndarray, kq: int, k: int, mode: str, seed: int = 0
) -> tuple[int, int, bool]:
    """Neighbours the cap dropped, from in-radius counts of the capped queries.

    Args:
        count_within: callable, query indices [M] -> number of points within the radius of
            each (self included, as the ``kq`` slots of the kNN query).
        capped: int [C] queries whose ``kq`` slots were all filled.
        kq: slots per query, ``k + 1`` (the query itself) or fewer when there are fewer points,
            in which case nothing can have been dropped.
        mode: :func:`dropped_mode`.

    Returns:
        ``(n_dropped, n_capped, estimated)``; with ``off``: ``(0, C, False)``.
    """
    if kq < int(k) + 1:  # fewer points than slots: no query can have been capped
        return 0, 0, False
    n = len(capped)
    if mode == "off" or n == 0:
        return 0, n, False
    estimated = mode == "sample" and n > DROPPED_SAMPLE
    chosen = np.random.default_rng(seed).choice(capped, DROPPED_SAMPLE, replace=False) if estimated else capped
    extra = np.maximum(np.asarray(count_within(chosen), dtype=np.int64) - kq, 0)
    scale = n / len(chosen)
    return int(round(extra.sum() * scale)), int(round((extra > 0).sum() * scale)), estimated


def check_query(points: np.ndarray, radius: float, k: int | None) -> np.ndarray:
    """Validate search arguments; returns ``points`` as C-contiguous float32 [N, D]."""
    points = np.ascontiguousarray(points, dtype=np.float32)
    if points.ndim != 2:
        raise ValueError(f"points must be [N, D], got shape {points.shape}")
    if not np.isfinite(points).all():
        raise ValueError("points contain NaN or inf (embedding diverged?)")
    if not radius > 0:
        raise ValueError(f"radius must be > 0, got {radius}")
    if k is not None and int(k) < 1:
        raise ValueError(f"k must be >= 1 or None, got {k}")
    return points


def empty() -> Neighbours:
    """A result with no pairs."""
    z = np.zeros(0, dtype=np.int64)
    return Neighbours(z, z.copy(), np.zeros(0, dtype=np.float32))


def from_knn(
    dist: np.ndarray, idx: np.ndarray, radius: float, k: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs from a ``[N, k+1]`` kNN answer (distances ascending, neighbour ids; ``-1``/inf for
    none), keeping ``dist < radius``, dropping self pairs and keeping at most ``k`` per query:
    among points at distance 0 (duplicates) the query itself may fall outside the ``k + 1``
    slots, which would otherwise leave it ``k + 1`` neighbours."""
    n = dist.shape[0]
    src = np.repeat(np.arange(n, dtype=np.int64), dist.shape[1]).reshape(dist.shape)
    keep = (dist < radius) & (idx >= 0) & (idx != src)
    if k is not None:
        keep &= np.cumsum(keep, axis=1) <= k
    return src[keep], idx[keep].astype(np.int64), dist[keep].astype(np.float32)
