"""``faiss`` backend: exact FAISS k-NN (``IndexFlatL2``) on GPU when faiss-gpu is installed,
else on CPU (``device: cpu`` forces CPU).

FAISS returns squared distances; pairs with :math:`d^2 < r^2` are kept. Queries that fill all
``k`` slots are recounted (CPU: ``range_search``; GPU: the torch backend's brute force) so
dropped neighbours are counted.
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.backends.base import NeighbourSearch, Neighbours, check_query, empty, from_knn


def _faiss():
    try:
        import faiss
    except ImportError:
        raise ValueError("neighbour backend 'faiss' needs faiss-cpu or faiss-gpu (pip install trackgnn[faiss])") from None
    return faiss


class FaissSearch(NeighbourSearch):
    """Args: ``device``: ``auto`` (GPU if faiss-gpu sees one), ``cpu`` or ``cuda``."""

    name = "faiss"

    def __init__(self, threads: int | None = None, device: str = "auto"):
        super().__init__(threads)
        faiss = _faiss()
        n_gpu = faiss.get_num_gpus() if hasattr(faiss, "get_num_gpus") else 0
        if device == "cuda" and n_gpu == 0:
            raise ValueError("backend 'faiss' with device 'cuda' needs faiss-gpu and a visible GPU")
        self.gpu = device != "cpu" and n_gpu > 0
        if threads:
            faiss.omp_set_num_threads(int(threads))

    def search(self, points: np.ndarray, radius: float, k: int | None) -> Neighbours:
        points = check_query(points, radius, k)
        n = len(points)
        if n < 2:
            return empty()
        faiss = _faiss()
        index = faiss.IndexFlatL2(points.shape[1])
        if self.gpu:
            index = faiss.index_cpu_to_gpu(faiss.StandardGpuResources(), 0, index)
        index.add(points)
        r2 = float(radius) ** 2
        if k is None:
            if self.gpu:
                from trackgnn.graph_construction.backends.torch_brute import TorchSearch

                return TorchSearch(device="cuda").search(points, radius, None)
            lims, d2, idx = index.range_search(points, r2)
            src = np.repeat(np.arange(n, dtype=np.int64), np.diff(lims).astype(np.int64))
            keep = (idx != src) & (d2 < r2)
            return Neighbours(src[keep], idx[keep].astype(np.int64), np.sqrt(d2[keep]).astype(np.float32))
        kq = min(int(k) + 1, n)
        d2, idx = index.search(points, kq)
        src, dst, d = from_knn(np.sqrt(np.maximum(d2, 0)), idx, radius)
        n_dropped = n_capped = 0
        capped = np.flatnonzero((d2[:, -1] < r2) & (idx[:, -1] >= 0))
        if len(capped) and kq == int(k) + 1:
            if self.gpu:
                from trackgnn.graph_construction.backends.torch_brute import TorchSearch

                counts = TorchSearch(device="cuda").count_within(points, capped, radius)
            else:
                lims, _, _ = index.range_search(points[capped], r2)
                counts = np.diff(lims).astype(np.int64)
            extra = np.maximum(np.asarray(counts) - kq, 0)
            n_dropped, n_capped = int(extra.sum()), int((extra > 0).sum())
        return Neighbours(src, dst, d, n_dropped, n_capped)
