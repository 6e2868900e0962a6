"""From raw neighbour pairs to the edges of a graph, and their truth labels.

Edges are cleaned and oriented: self loops and pairs on one module are removed, each pair
points from the hit nearer the origin to the farther one (:math:`\\rho = \\sqrt{r^2+z^2}`,
ties broken by index), and duplicates (``i->j`` found from both ends) are merged.
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.backends import native
from trackgnn.utils.arrays import member_of, sorted_unique


def clean_edges(src: np.ndarray, dst: np.ndarray, module: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """Oriented, de-duplicated edges.

    Args:
        src, dst: int [P] pair endpoints.
        module: int64 [N] module key per node (pairs with equal keys are dropped).
        rho: float [N] distance of each node from the origin.

    Returns:
        int64 [2, E], sorted by (source, target).
    """
    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    module = np.asarray(module, np.int64)
    # one integer comparison per pair instead of rho and its tie-break: the rank of each node
    # in the order (rho, index)
    rank = np.empty(len(rho), dtype=np.int32)
    rank[np.argsort(rho, kind="stable")] = np.arange(len(rho), dtype=np.int32)
    # (a, b) packed in one int64 (node ids < 2^31), so sort and unique see one key and
    # unpacking is a shift and a mask rather than a division
    keys = native.edge_keys(src, dst, module, rank)  # compiled: one pass, no temporaries
    if keys is None:
        keys = _edge_keys(src, dst, module, rank)
    key = sorted_unique(keys)
    return np.stack([key >> 32, key & 0xFFFFFFFF]) if len(key) else np.zeros((2, 0), np.int64)


def _edge_keys(src: np.ndarray, dst: np.ndarray, module: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """numpy twin of :func:`trackgnn.graph_construction.backends.native.edge_keys`."""
    if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= len(module)):
        raise IndexError(f"pairs name nodes outside [0, {len(module)})")
    keep = module[src] != module[dst]
    keep &= src != dst
    src, dst = src[keep], dst[keep]
    swap = rank[src] > rank[dst]
    return (np.where(swap, dst, src) << 32) | np.where(swap, src, dst)


def label_edges(
    edge_index: np.ndarray, truth_edges: np.ndarray, particle_id: np.ndarray, node_target: np.ndarray
) -> dict[str, np.ndarray]:
    """Truth labels of graph edges.

    Args:
        edge_index: int64 [2, E].
        truth_edges: int64 [2, T] truth graph.
        particle_id: int64 [N] (0 noise).
        node_target: bool [N] hit of a target particle.

    Returns:
        ``y`` bool [E] edge in the truth graph (either orientation); ``y_pid`` bool [E] both
        hits of one non-noise particle; ``target_edge`` bool [E] ``y`` and the particle is a target.
    """
    n = len(particle_id)
    s, t = edge_index
    lo, hi = np.minimum(s, t), np.maximum(s, t)
    tl, th = np.minimum(truth_edges[0], truth_edges[1]), np.maximum(truth_edges[0], truth_edges[1])
    y = member_of(lo * n + hi, tl * n + th)
    y_pid = (particle_id[s] == particle_id[t]) & (particle_id[s] != 0)
    return {"y": y, "y_pid": y_pid, "target_edge": y & node_target[s] & node_target[t]}
