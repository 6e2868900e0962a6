"""Training pairs for metric learning: true edges, hard negatives and random pairs.

For hits :math:`i` with embeddings :math:`e_i`, the candidate pairs of one event are

* every truth edge of a particle with :math:`p_T \\ge` ``positive_pt_min`` (label 1);
* hard negatives: the ``knn`` nearest neighbours within ``radius`` in the current embedding
  (a KD-tree query: brute force is memory-bound and ~20x slower on CPU);
* ``random_pairs * N`` uniformly random pairs.

Candidates are labelled 1 when they are truth edges (either orientation). Pairs of one
particle that are not truth edges (e.g. two layers apart) are left out: the loss neither
pulls nor pushes them, so consecutive hits can be close without forcing the whole track
into one ball.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.spatial import cKDTree

from trackgnn.graph_construction.backends.kdtree import LEAF_SIZE


def _keys(a: torch.Tensor, b: torch.Tensor, n: int) -> torch.Tensor:
    return torch.minimum(a, b) * n + torch.maximum(a, b)


def sample_pairs(
    emb: torch.Tensor,
    truth_edges: torch.Tensor,
    particle_id: torch.Tensor,
    pt: torch.Tensor,
    knn: int,
    radius: float,
    random_pairs: float,
    positive_pt_min: float = 0.0,
    generator: torch.Generator | None = None,
    queries: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pairs and labels for one event.

    Args:
        emb: float [N, D] embeddings (only used without gradient for mining).
        truth_edges: int64 [2, T].
        particle_id: int64 [N]; pt: float [N] particle pT per hit.
        queries: bool [N] or ``None`` (all hits): only pairs whose first hit is a query are
            made (one of several optimiser steps on a large event).

    Returns:
        ``pairs`` int64 [2, P] and ``label`` float [P] (1 true edge, 0 fake).
    """
    n = emb.shape[0]
    device = emb.device
    truth_keys = _keys(truth_edges[0], truth_edges[1], n)
    is_query = torch.ones(n, dtype=torch.bool, device=device) if queries is None else queries.to(device)
    query_idx = torch.nonzero(is_query).flatten()
    pos = truth_edges[:, (pt[truth_edges[0]] >= positive_pt_min) & is_query[truth_edges[0]]]
    parts = [pos]
    if knn > 0 and n > 1 and len(query_idx):
        points = emb.detach().cpu().numpy().astype(np.float32)
        q = query_idx.cpu().numpy()
        k = min(int(knn) + 1, n)
        dist, idx = cKDTree(points, leafsize=LEAF_SIZE).query(points[q], k=k, distance_upper_bound=radius, workers=-1)
        dist, idx = dist.reshape(len(q), k), idx.reshape(len(q), k)
        src = np.repeat(q, k).reshape(len(q), k)
        keep = (dist < radius) & (idx < n) & (idx != src)
        parts.append(
            torch.stack([torch.from_numpy(src[keep]), torch.from_numpy(idx[keep].astype(np.int64))]).to(device)
        )
    n_random = int(random_pairs * len(query_idx))
    if n_random > 0 and n > 1:
        first = query_idx[torch.randint(0, len(query_idx), (n_random,), device=device, generator=generator)]
        parts.append(torch.stack([first, torch.randint(0, n, (n_random,), device=device, generator=generator)]))
    pairs = torch.cat(parts, dim=1)
    a, b = pairs
    keys = _keys(a, b, n)
    label = torch.isin(keys, truth_keys)
    same = (particle_id[a] == particle_id[b]) & (particle_id[a] != 0)
    keep = (a != b) & (label | ~same)
    keep[: pos.shape[1]] = True
    return pairs[:, keep], label[keep].float()
