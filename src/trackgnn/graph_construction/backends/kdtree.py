"""``kdtree`` backend: k-nearest query bounded by the radius on a k-d tree (CPU default).

On CPU a k-NN query with a distance bound is far faster than a radius query or brute force;
queries that fill all ``k`` slots are recounted so the neighbours the cap drops are known
(exactly, or estimated from a sample: ``count_dropped``).

Two engines answer the same query (``engine``):

- ``native``: the package's compiled float32 tree (``kdknn.cpp``, :mod:`.native`): on a
  full-size event (10^5 hits in an 8-d embedding, k = 30) the query takes ~0.25 s on 2 cores
  instead of ~0.6 s, for the same neighbours up to float32 rounding of the distances (a
  handful of ties among 3 million pairs). Leaves of :data:`NATIVE_LEAF_SIZE` points.
- ``scipy``: ``cKDTree`` in float64, with :data:`LEAF_SIZE` points per leaf rather than
  scipy's 16 (10-20% faster on full-size events), the points put in the tree's leaf order
  first (:func:`leaf_ordered`: consecutive queries then walk neighbouring leaves held next to
  each other in memory, 15-20% less time).

``auto`` (default) takes the native engine when it was built (``pip install`` compiles it
where a C++ compiler is found) and scipy otherwise.
"""

from __future__ import annotations

import os

import numpy as np
from scipy.spatial import cKDTree

from trackgnn.graph_construction.backends import native
from trackgnn.graph_construction.backends.base import (
    Neighbours,
    NeighbourSearch,
    check_query,
    count_beyond_cap,
    dropped_mode,
    empty,
    from_knn,
)

#: Points per KD-tree leaf of the scipy engine (scipy's default is 16), measured on mu = 200 embeddings.
LEAF_SIZE = 32
#: Points per leaf of the native engine: a leaf's distances are one vectorised loop, so larger
#: leaves pay (k = 30 on a full-size event: 0.25 s at 64 against 0.27 s at 32 and 0.31 s at 128).
NATIVE_LEAF_SIZE = 64
ENGINES = ("auto", "native", "scipy")


class KDTreeSearch(NeighbourSearch):
    """Args: ``count_dropped``: how the neighbours beyond the cap are counted
    (:func:`~trackgnn.graph_construction.backends.base.dropped_mode`: ``true``/``exact``,
    ``sample`` or ``false``/``off``; off for training-pair mining, where the cap is intended);
    ``engine``: ``auto``, ``native`` or ``scipy`` (module docstring); ``leafsize``: points per
    tree leaf (default: the engine's)."""

    name = "kdtree"

    def __init__(
        self,
        threads: int | None = None,
        count_dropped: bool | str = True,
        leafsize: int | None = None,
        engine: str = "auto",
    ):
        super().__init__(threads)
        self.count_dropped = dropped_mode(count_dropped)
        if engine not in ENGINES:
            raise ValueError(f"kdtree backend: engine must be one of {list(ENGINES)}, got {engine!r}")
        if engine == "native" and not native.available():
            raise ValueError(
                f"kdtree backend: engine 'native' is not built ({native.missing_reason()}); "
                "reinstall trackgnn where a C++ compiler is found, or use engine 'scipy'"
            )
        self.engine = "native" if engine == "auto" and native.available() else "scipy" if engine == "auto" else engine
        if leafsize is None:
            leafsize = NATIVE_LEAF_SIZE if self.engine == "native" else LEAF_SIZE
        if isinstance(leafsize, bool) or not isinstance(leafsize, (int, np.integer)) or leafsize < 1:
            raise ValueError(f"kdtree backend: leafsize must be an integer >= 1, got {leafsize!r}")
        self.leafsize = int(leafsize)

    def search(self, points: np.ndarray, radius: float, k: int | None) -> Neighbours:
        points = check_query(points, radius, k)
        n = len(points)
        if n < 2:
            return empty()
        if k is not None and self.engine == "native":
            return self._search_native(points, radius, int(k))
        workers = self.threads or -1
        points, order = leaf_ordered(points, self.leafsize)
        tree = cKDTree(points, leafsize=self.leafsize)
        if k is None:
            lists = tree.query_ball_point(points, radius, workers=workers, return_sorted=False)
            counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=n)
            src = np.repeat(np.arange(n, dtype=np.int64), counts)
            dst = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]) if counts.sum() else src[:0]
            dist = np.linalg.norm(points[src] - points[dst], axis=1).astype(np.float32)
            keep = (src != dst) & (dist < radius)
            return Neighbours(order[src[keep]], order[dst[keep]], dist[keep])
        kq = min(int(k) + 1, n)
        dist, idx = tree.query(points, k=kq, distance_upper_bound=radius, workers=workers)
        dist, idx = dist.reshape(n, kq), idx.reshape(n, kq)
        idx = np.where(np.isfinite(dist), idx, -1)
        src, dst, d = from_knn(dist, idx, radius, k)
        capped = np.flatnonzero(np.isfinite(dist[:, -1]))  # queries whose k slots are all filled

        def count_within(queries):
            return tree.query_ball_point(points[queries], np.nextafter(radius, 0), workers=workers, return_length=True)

        n_dropped, n_capped, estimated = count_beyond_cap(count_within, capped, kq, k, self.count_dropped)
        return Neighbours(order[src], order[dst], d, n_dropped, n_capped, estimated)

    def _search_native(self, points: np.ndarray, radius: float, k: int) -> Neighbours:
        """The capped query on the compiled tree (the uncapped one stays on scipy)."""
        n = len(points)
        threads = self.threads or _usable_cpus()
        tree = native.NativeTree(points, self.leafsize)
        try:
            index, dist2, count = tree.knn(k, radius, threads)
            filled = np.arange(k, dtype=np.int32) < count[:, None]
            src = np.repeat(np.arange(n, dtype=np.int64), count)
            dst = index[filled]
            dist = np.sqrt(dist2[filled])
            capped = np.flatnonzero(count == k)
            # count_beyond_cap compares with the k + 1 slots of a query that includes itself
            kq = min(k + 1, n)
            n_dropped, n_capped, estimated = count_beyond_cap(
                lambda queries: tree.count_within(queries, radius, threads) + 1, capped, kq, k, self.count_dropped
            )
        finally:
            tree.close()
        return Neighbours(src, dst, dist, n_dropped, n_capped, estimated)


def _usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one: a SLURM job's
    allocation, not the node's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def leaf_ordered(points: np.ndarray, leafsize: int = LEAF_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """``points`` rearranged in the leaf order of their k-d tree, and that order.

    Returns:
        ``(points[order], order)``: row ``i`` of the first is point ``order[i]`` (int64 [N]).
    """
    order = cKDTree(points, leafsize=leafsize).indices.astype(np.int64)
    return np.ascontiguousarray(points[order]), order
