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

import torch

from trackgnn.graph_construction.backends.kdtree import KDTreeSearch


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
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pairs and labels for one event.

    Args:
        emb: float [N, D] embeddings (only used without gradient for mining).
        truth_edges: int64 [2, T].
        particle_id: int64 [N]; pt: float [N] particle pT per hit.

    Returns:
        ``pairs`` int64 [2, P] and ``label`` float [P] (1 true edge, 0 fake).
    """
    n = emb.shape[0]
    device = emb.device
    truth_keys = _keys(truth_edges[0], truth_edges[1], n)
    pos = truth_edges[:, pt[truth_edges[0]] >= positive_pt_min]
    parts = [pos]
    if knn > 0 and n > 1:
        found = KDTreeSearch(threads=1, count_dropped=False).search(emb.detach().cpu().numpy(), radius, knn)
        parts.append(torch.stack([torch.from_numpy(found.src), torch.from_numpy(found.dst)]).to(device))
    n_random = int(random_pairs * n)
    if n_random > 0 and n > 1:
        parts.append(torch.randint(0, n, (2, n_random), device=device, generator=generator))
    pairs = torch.cat(parts, dim=1)
    a, b = pairs
    keys = _keys(a, b, n)
    label = torch.isin(keys, truth_keys)
    same = (particle_id[a] == particle_id[b]) & (particle_id[a] != 0)
    keep = (a != b) & (label | ~same)
    keep[: pos.shape[1]] = True
    return pairs[:, keep], label[keep].float()
