"""Truth graphs: the edges a perfect graph-construction stage would find.

Hits of each particle are ordered by their distance from the particle's vertex
:math:`d = \\lVert t - v \\rVert` and cut into runs of consecutive hits that share a *group*:
the module (``modulewise``) or the detector layer (``layerwise``). Every hit of run
:math:`k` is joined to every hit of run :math:`k+1`, so two hits of a particle on one module
(overlaps) are never joined to each other but both reach the next module. Edges point
from the inner run to the outer one.
"""

from __future__ import annotations

import numpy as np


def group_key(volume_id: np.ndarray, layer_id: np.ndarray, module_id: np.ndarray, kind: str) -> np.ndarray:
    """An int64 key per hit identifying its module (``modulewise``) or layer (``layerwise``)."""
    key = np.asarray(volume_id, np.int64) * 1000 + np.asarray(layer_id, np.int64)
    if kind == "modulewise":
        return key * 1_000_000 + np.asarray(module_id, np.int64)
    if kind == "layerwise":
        return key
    raise ValueError(f"truth graph must be 'modulewise' or 'layerwise', got {kind!r}")


def truth_edges(particle_id: np.ndarray, distance: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Truth edges of all non-noise particles.

    Args:
        particle_id: int64 [N], 0 for noise (noise hits get no edges).
        distance: float [N], distance of each hit from its particle's vertex.
        group: int64 [N], module or layer key (:func:`group_key`).

    Returns:
        int64 [2, T] node indices, row 0 the inner hit.
    """
    particle_id = np.asarray(particle_id, np.int64)
    hits = np.flatnonzero(particle_id != 0)
    if len(hits) == 0:
        return np.zeros((2, 0), dtype=np.int64)
    order = hits[np.lexsort((np.asarray(distance)[hits], particle_id[hits]))]
    pid, key = particle_id[order], np.asarray(group)[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (pid[1:] != pid[:-1]) | (key[1:] != key[:-1])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(order)))
    run_pid = pid[starts]
    a = np.flatnonzero(run_pid[:-1] == run_pid[1:])
    b = a + 1
    na, nb = sizes[a], sizes[b]
    counts = na * nb
    pair = np.repeat(np.arange(len(a)), counts)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    i = starts[a][pair] + offset // nb[pair]
    j = starts[b][pair] + offset % nb[pair]
    return np.stack([order[i], order[j]]).astype(np.int64)
