"""``kdtree`` backend: scipy ``cKDTree`` k-nearest query bounded by the radius (CPU default).

On CPU a k-NN query with ``distance_upper_bound`` is far faster than ``query_pairs`` or
brute force; queries that fill all ``k`` slots are recounted with ``query_ball_point`` so
the neighbours the cap drops are known exactly.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from trackgnn.graph_construction.backends.base import NeighbourSearch, Neighbours, check_query, empty, from_knn


class KDTreeSearch(NeighbourSearch):
    """Args: ``count_dropped``: recount capped queries (off only for training-pair mining,
    where the cap is intended and the count unused)."""

    name = "kdtree"

    def __init__(self, threads: int | None = None, count_dropped: bool = True):
        super().__init__(threads)
        self.count_dropped = count_dropped

    def search(self, points: np.ndarray, radius: float, k: int | None) -> Neighbours:
        points = check_query(points, radius, k)
        n = len(points)
        if n < 2:
            return empty()
        workers = self.threads or -1
        tree = cKDTree(points)
        if k is None:
            lists = tree.query_ball_point(points, radius, workers=workers, return_sorted=False)
            counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=n)
            src = np.repeat(np.arange(n, dtype=np.int64), counts)
            dst = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]) if counts.sum() else src[:0]
            dist = np.linalg.norm(points[src] - points[dst], axis=1).astype(np.float32)
            keep = (src != dst) & (dist < radius)
            return Neighbours(src[keep], dst[keep], dist[keep])
        kq = min(int(k) + 1, n)
        dist, idx = tree.query(points, k=kq, distance_upper_bound=radius, workers=workers)
        dist, idx = dist.reshape(n, kq), idx.reshape(n, kq)
        idx = np.where(np.isfinite(dist), idx, -1)
        src, dst, d = from_knn(dist, idx, radius)
        n_dropped = 0
        capped = np.flatnonzero(np.isfinite(dist[:, -1]))
        n_capped = len(capped)  # upper bound when not recounted: hits whose k slots are all filled
        if self.count_dropped and len(capped) and kq == int(k) + 1:
            counts = tree.query_ball_point(points[capped], np.nextafter(radius, 0), workers=workers, return_length=True)
            extra = np.maximum(np.asarray(counts) - kq, 0)
            n_dropped, n_capped = int(extra.sum()), int((extra > 0).sum())
        return Neighbours(src, dst, d, n_dropped, n_capped)
