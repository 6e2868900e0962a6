r"""``faiss`` backend: FAISS k-NN on GPU when faiss-gpu is installed, else on CPU
(``device: cpu`` forces CPU).

``index: flat`` (default) is exact brute force (``IndexFlatL2``): the right choice on a GPU,
quadratic on a CPU. ``index: ivf`` is FAISS's inverted-file index (``IndexIVFFlat``): the
points are clustered into ``nlist`` cells (default :math:`4\sqrt{N}`, k-means on the points
themselves) and a query visits its ``nprobe`` nearest cells, so neighbours in unvisited cells
can be missed (approximate; the graph metrics show what it costs).

FAISS returns squared distances; pairs with :math:`d^2 < r^2` are kept. Queries that fill all
``k`` slots are recounted (CPU: ``range_search``; GPU: the torch backend's brute force) so
dropped neighbours are counted.
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.backends.base import (
    Neighbours,
    NeighbourSearch,
    check_query,
    count_beyond_cap,
    dropped_mode,
    empty,
    from_knn,
)


def _on_cpu(faiss, index, gpu: bool):
    """The index itself, or a CPU copy of a GPU index (FAISS GPU has no range search)."""
    return faiss.index_gpu_to_cpu(index) if gpu else index


def _faiss():
    try:
        import faiss
    except ImportError:
        raise ValueError(
            "neighbour backend 'faiss' needs faiss-cpu or faiss-gpu (pip install trackgnn[faiss])"
        ) from None
    return faiss


class FaissSearch(NeighbourSearch):
    r"""Args: ``device``: ``auto`` (GPU if faiss-gpu sees one), ``cpu`` or ``cuda``;
    ``index``: ``flat`` (exact) or ``ivf`` (approximate); ``nlist``, ``nprobe``: IVF cells
    (``None``: :math:`4\sqrt{N}`) and cells visited per query; ``count_dropped``: how the
    neighbours beyond the cap are counted (``true``, ``sample`` or ``false``, as the kdtree backend)."""

    name = "faiss"

    def __init__(
        self,
        threads: int | None = None,
        device: str = "auto",
        index: str = "flat",
        nlist: int | None = None,
        nprobe: int = 8,
        count_dropped: bool | str = True,
    ):
        super().__init__(threads)
        self.count_dropped = dropped_mode(count_dropped)
        if index not in ("flat", "ivf"):
            raise ValueError(f"backend 'faiss': index must be 'flat' or 'ivf', got {index!r}")
        self.index_kind, self.nlist, self.nprobe = index, nlist, int(nprobe)
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
        index = self._index(faiss, points)
        r2 = float(radius) ** 2
        if k is None:
            if self.gpu and self.index_kind == "flat":
                from trackgnn.graph_construction.backends.torch_brute import TorchSearch

                return TorchSearch(device="cuda").search(points, radius, None)
            lims, d2, idx = _on_cpu(faiss, index, self.gpu).range_search(points, r2)
            src = np.repeat(np.arange(n, dtype=np.int64), np.diff(lims).astype(np.int64))
            keep = (idx != src) & (d2 < r2)
            return Neighbours(src[keep], idx[keep].astype(np.int64), np.sqrt(d2[keep]).astype(np.float32))
        kq = min(int(k) + 1, n)
        d2, idx = index.search(points, kq)
        src, dst, d = from_knn(np.sqrt(np.maximum(d2, 0)), idx, radius, k)
        capped = np.flatnonzero((d2[:, -1] < r2) & (idx[:, -1] >= 0))  # all k slots filled

        def count_within(queries):
            if self.gpu and self.index_kind == "flat":
                from trackgnn.graph_construction.backends.torch_brute import TorchSearch

                return TorchSearch(device="cuda").count_within(points, queries, radius)
            lims, _, _ = _on_cpu(faiss, index, self.gpu).range_search(points[queries], r2)
            return np.diff(lims).astype(np.int64)

        n_dropped, n_capped, estimated = count_beyond_cap(count_within, capped, kq, k, self.count_dropped)
        return Neighbours(src, dst, d, n_dropped, n_capped, estimated)

    def _index(self, faiss, points: np.ndarray):
        dim = points.shape[1]
        if self.index_kind == "flat":
            index = faiss.IndexFlatL2(dim)
        else:
            nlist = int(self.nlist or max(1, round(4 * np.sqrt(len(points)))))
            nlist = min(nlist, len(points))
            index = faiss.IndexIVFFlat(faiss.IndexFlatL2(dim), dim, nlist)
            index.cp.seed = 0  # k-means initialisation: same cells, same graph
            index.train(points)
            index.nprobe = min(self.nprobe, nlist)
        if self.gpu:
            index = faiss.index_cpu_to_gpu(faiss.StandardGpuResources(), 0, index)
        index.add(points)
        return index
