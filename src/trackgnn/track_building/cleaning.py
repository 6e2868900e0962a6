"""Cleaning track candidates with a helix fit: cut wrong branches, shed stray hits."""

from __future__ import annotations

import numpy as np

from trackgnn.track_building.grouping import argmin_per_group
from trackgnn.track_building.helix import helix_residuals, normalised_residual
from trackgnn.track_building.merging import MergeConfig


def split_inconsistent(labels: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    """Labels with every track that no single helix describes cut into consistent pieces.

    A walk that takes one wrong branch joins the inner hits of one particle to the outer hits
    of another. Walking a track's hits outward (by distance from the origin), each piece is
    the longest run whose helix fit keeps every residual within ``split_xy`` / ``split_z``; a hit
    that starts no run of ``min_hits`` consistent hits is released (label ``-1``).

    Args:
        labels: int [N] track label per hit (unique labels for unassigned hits).
        x, y, z: float [N] hit positions (mm).

    Returns:
        int64 [N]; untouched tracks keep their label, pieces get fresh labels.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0 or cfg.split_xy <= 0 or cfg.split_z <= 0:
        return labels
    uniq, track = np.unique(labels, return_inverse=True)
    size = np.bincount(track)
    max_xy, max_z = helix_residuals(track, x, y, z, len(uniq))
    bad = np.flatnonzero((size > cfg.min_hits) & ((max_xy > cfg.split_xy) | (max_z > cfg.split_z)))
    if len(bad) == 0:
        return labels
    out = labels.copy()
    dist = np.sqrt(x * x + y * y + z * z)
    next_label = int(labels.max()) + 1
    for t in bad:
        hits = np.flatnonzero(track == t)
        hits = hits[np.argsort(dist[hits], kind="stable")]
        out[hits] = -1
        start = 0
        while len(hits) - start >= cfg.min_hits:
            # the longest consistent run from ``start``: fit every prefix at once
            ends = np.arange(start + cfg.min_hits, len(hits) + 1)
            group = np.concatenate([np.full(e - start, i) for i, e in enumerate(ends)])
            members = np.concatenate([hits[start:e] for e in ends])
            pxy, pz = helix_residuals(group, x[members], y[members], z[members], len(ends))
            good = np.flatnonzero((pxy <= cfg.split_xy) & (pz <= cfg.split_z))
            if len(good) == 0:
                start += 1
                continue
            end = ends[good[-1]]
            out[hits[start:end]] = next_label
            next_label += 1
            start = end
    return out


def drop_outliers(labels: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    r"""Labels with stray hits taken off tracks that one helix describes once they are gone.

    A walk often picks up a hit of a neighbouring particle at one end. Such a hit costs the
    track its purity and, worse, keeps the joint fit of two fragments of one particle above
    the tolerances, so the fragments stay apart. Each round fits every track of more than
    ``min_hits`` hits whose largest normalised residual
    :math:`\max(d_\perp / \mathrm{tol}_{xy}, d_z / \mathrm{tol}_z)` exceeds 1 and releases its
    worst hit; after ``max_outliers`` rounds a track that is still inconsistent gets its hits
    back (a scattering low-pT track is not stripped of hits it owns).

    Args:
        labels: int [N] track label per hit (unique labels for unassigned hits).
        x, y, z: float [N] hit positions (mm).

    Returns:
        int64 [N]; released hits get label ``-1``.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0 or cfg.max_outliers <= 0:
        return labels
    uniq, track = np.unique(labels, return_inverse=True)
    active = np.ones(len(labels), dtype=bool)  # hits still on their track
    for _ in range(cfg.max_outliers):
        residual = normalised_residual(track, active, x, y, z, len(uniq), cfg.tol_xy, cfg.tol_z)
        size = np.bincount(track[active], minlength=len(uniq))
        # the worst hit of each track, if it is off the helix and the track can spare it
        hits = np.flatnonzero(active & np.isfinite(residual))
        worst = hits[argmin_per_group(track[hits], -residual[hits])]
        shed = worst[(residual[worst] > 1.0) & (size[track[worst]] > cfg.min_hits)]
        if len(shed) == 0:
            break
        active[shed] = False
    if active.all():
        return labels
    residual = normalised_residual(track, active, x, y, z, len(uniq), cfg.tol_xy, cfg.tol_z)
    inconsistent = np.zeros(len(uniq), dtype=bool)
    np.logical_or.at(inconsistent, track[active], ~(residual[active] <= 1.0))
    out = labels.copy()
    out[~active & ~inconsistent[track]] = -1
    return out
