"""``torch`` backend: blocked brute-force search with torch (GPU without FAISS, or CPU).

Queries are processed in blocks of ``block`` rows so the distance matrix never exceeds
``block x N``: :math:`d_{ij}^2 = \\lVert p_i\\rVert^2 + \\lVert p_j\\rVert^2 - 2 p_i\\cdot p_j`.
"""

from __future__ import annotations

import numpy as np
import torch

from trackgnn.graph_construction.backends.base import Neighbours, NeighbourSearch, check_query, empty


def resolve_device(device: str) -> torch.device:
    """``auto`` -> CUDA when available, else CPU."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


class TorchSearch(NeighbourSearch):
    """Args: ``device`` (``auto``, ``cpu``, ``cuda``...), ``block`` query rows per block."""

    name = "torch"

    def __init__(self, threads: int | None = None, device: str = "auto", block: int = 4096):
        super().__init__(threads)
        self.device = resolve_device(device)
        self.block = int(block)

    @torch.no_grad()
    def search(self, points: np.ndarray, radius: float, k: int | None) -> Neighbours:
        points = check_query(points, radius, k)
        n = len(points)
        if n < 2:
            return empty()
        p = torch.from_numpy(points).to(self.device)
        sq = (p * p).sum(1)
        r2 = float(radius) ** 2
        srcs, dsts, dists = [], [], []
        n_dropped = n_capped = 0
        for start in range(0, n, self.block):
            q = p[start : start + self.block]
            d2 = (sq[start : start + len(q)][:, None] + sq[None, :] - 2.0 * q @ p.T).clamp_min_(0)
            rows = torch.arange(start, start + len(q), device=self.device)
            d2[torch.arange(len(q), device=self.device), rows] = float("inf")
            inside = d2 < r2
            if k is not None and int(k) < n - 1:
                count = inside.sum(1)
                over = (count - int(k)).clamp_min(0)
                n_dropped += int(over.sum())
                n_capped += int((over > 0).sum())
                val, idx = torch.topk(d2, int(k), dim=1, largest=False)
                keep = val < r2
                i = rows[:, None].expand_as(idx)[keep]
                j, v = idx[keep], val[keep]
            else:
                i, j = inside.nonzero(as_tuple=True)
                v = d2[i, j]
                i = i + start
            srcs.append(i.cpu())
            dsts.append(j.cpu())
            dists.append(v.sqrt().cpu())
        return Neighbours(
            torch.cat(srcs).numpy().astype(np.int64),
            torch.cat(dsts).numpy().astype(np.int64),
            torch.cat(dists).numpy().astype(np.float32),
            n_dropped,
            n_capped,
        )

    @torch.no_grad()
    def count_within(self, points: np.ndarray, queries: np.ndarray, radius: float) -> np.ndarray:
        """Number of points (the query itself included) within ``radius`` of ``points[queries]``."""
        p = torch.from_numpy(np.ascontiguousarray(points, dtype=np.float32)).to(self.device)
        q_all = torch.from_numpy(np.asarray(queries, dtype=np.int64)).to(self.device)
        out = []
        for start in range(0, len(q_all), self.block):
            q = p[q_all[start : start + self.block]]
            out.append((torch.cdist(q, p) < radius).sum(1).cpu())
        return torch.cat(out).numpy() if out else np.zeros(0, dtype=np.int64)
