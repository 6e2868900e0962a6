r"""Joining track fragments that one helix explains.

A particle whose chain of edges breaks once (an edge lost in graph construction or scored
low by the GNN, most often where it crosses from one detector volume into the next) comes
out of the walk as two pieces. Each holds at most half of the particle's hits, so each is a
fake track under the double-majority rule although together they are a found particle.

Fragments are joined when a helix from the beam line (:mod:`trackgnn.track_building.helix`)
describes both. Candidate pairs join fragment :math:`A` to a fragment :math:`B` that reaches
further out on both ends, its first hit within ``max_gap`` (mm) of :math:`A`'s last. A pair
is compatible when the joint fit of :math:`A \cup B` keeps every :math:`d_\perp \le`
``tol_xy`` and :math:`d_z \le` ``tol_z``, if need be without the one hit that breaks it
(that hit is released). Pairs are accepted greedily from the best joint fit, each fragment
end used once, so chains :math:`A \to B \to C` form but no branches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from trackgnn.track_building.grouping import argmin_per_group, concat_ranges
from trackgnn.track_building.helix import helix_fit, normalised_residual, point_residuals


@dataclass
class MergeConfig:
    """The ``track_building.merge`` section.

    Args:
        enabled: run the merging step.
        max_gap: largest distance (mm) between the outer end of one fragment and the inner
            end of the next.
        tol_xy: largest transverse residual (mm) of any hit in the joint circle fit.
        tol_z: largest longitudinal residual (mm) of any hit in the joint helix fit.
        split_xy, split_z: a track whose helix fit leaves a residual above these (mm) is cut
            into consistent pieces (looser than the merge tolerances: low-pT particles
            scatter; ``0`` disables the split).
        min_hits: fragments with fewer hits are neither extended nor attached.
        candidates: fragments whose first hit lies nearest a fragment's helix that are
            tried in a joint fit with it.
        max_outliers: hits a track may shed (worst residual first) so that its helix fit
            meets ``tol_xy`` / ``tol_z`` before fragments are joined; ``0`` keeps every hit.
        attach_xy, attach_z: an unassigned hit within these residuals (mm) of the helix of a
            consistent track joins it (:mod:`trackgnn.track_building.extension`); ``0``
            attaches nothing.
    """

    enabled: bool = True
    max_gap: float = 1000.0
    tol_xy: float = 3.0
    tol_z: float = 15.0
    split_xy: float = 20.0
    split_z: float = 100.0
    min_hits: int = 3
    candidates: int = 8
    max_outliers: int = 2
    attach_xy: float = 1.0
    attach_z: float = 10.0

    @classmethod
    def from_section(cls, section: dict | None) -> MergeConfig:
        section = dict(section or {})
        unknown = set(section) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"track_building.merge: unknown key(s) {sorted(unknown)}")
        return cls(**section)


#: Scales (1 / typical difference between two fragments of one particle) of the helix
#: parameters compared by :func:`helix_features`, and the search radius in those units.
PARAMETER_SCALES = {"centre_angle": 1 / 0.05, "curvature": 1 / 3e-4, "cot_theta": 1 / 0.05, "z0": 1 / 20.0}
PARAMETER_BALL = 3.0


def helix_features(params: np.ndarray) -> np.ndarray:
    """Points [M, 5] in which fragments of one particle lie close: the direction of the circle
    centre as a unit vector, curvature :math:`1/R` (mm\\ :sup:`-1`), :math:`\\cot\\theta` and
    :math:`z_0`, each scaled by :data:`PARAMETER_SCALES`."""
    a, b, radius, z0, cot = params.T
    angle = np.arctan2(b, a)
    sc = PARAMETER_SCALES
    return np.stack(
        [
            np.cos(angle) * sc["centre_angle"],
            np.sin(angle) * sc["centre_angle"],
            sc["curvature"] / radius,
            cot * sc["cot_theta"],
            z0 * sc["z0"],
        ],
        axis=1,
    )


def merge_fragments(labels: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    """Labels with compatible fragments joined (see the module docstring).

    Args:
        labels: int [N] track label per hit (unique labels for unassigned hits).
        x, y, z: float [N] hit positions (mm).

    Returns:
        int64 [N]; a merged track takes the label of its innermost fragment.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if not cfg.enabled or len(labels) == 0:
        return labels
    uniq, track = np.unique(labels, return_inverse=True)
    size = np.bincount(track)
    dist = np.sqrt(x * x + y * y + z * z)
    order = np.lexsort((dist, track))
    first = np.searchsorted(track[order], np.arange(len(uniq)))
    last = np.r_[first[1:], len(order)] - 1
    inner, outer = order[first], order[last]  # innermost / outermost hit of each track
    usable = np.flatnonzero(size >= cfg.min_hits)
    if len(usable) < 2:
        return labels
    # candidate pairs: fragments with similar helix parameters (a KD-tree in parameter space;
    # a search by position alone returns most of the detector at mu=200)
    params = helix_fit(track, x, y, z, len(uniq))
    usable = usable[np.isfinite(params[usable, 2])]
    if len(usable) < 2:
        return labels
    features = helix_features(params[usable])
    near = cKDTree(features).query_ball_point(features, PARAMETER_BALL, return_sorted=False)
    counts = np.fromiter((len(v) for v in near), dtype=np.int64, count=len(usable))
    a_idx = np.repeat(usable, counts)
    b_idx = usable[np.concatenate([np.asarray(v, dtype=np.int64) for v in near])]
    points = np.stack([x, y, z], axis=1)
    gap = np.linalg.norm(points[inner[b_idx]] - points[outer[a_idx]], axis=1)
    # B reaches further out than A on both ends (they may overlap: the walk that made A may
    # have run one hit into the neighbour of B's first hit)
    keep = (b_idx != a_idx) & (dist[inner[b_idx]] > dist[inner[a_idx]]) & (dist[outer[b_idx]] > dist[outer[a_idx]])
    keep &= gap <= cfg.max_gap
    a_idx, b_idx = a_idx[keep], b_idx[keep]
    # pre-selection: B's first hit must lie near A's own helix (3x the tolerances), then the
    # best few per fragment go on to the joint fit
    px, pz = point_residuals(params[a_idx], x[inner[b_idx]], y[inner[b_idx]], z[inner[b_idx]])
    pre = np.maximum(px / cfg.tol_xy, pz / cfg.tol_z)
    keep = np.flatnonzero(pre <= 3.0)
    keep = keep[np.lexsort((pre[keep], a_idx[keep]))]
    rank = np.arange(len(keep)) - np.searchsorted(a_idx[keep], a_idx[keep])
    keep = keep[rank < cfg.candidates]
    a_idx, b_idx = a_idx[keep], b_idx[keep]
    if len(a_idx) == 0:
        return labels
    # joint fits of all candidate pairs at once: list the hits of A then B for each pair
    starts = np.stack([first[a_idx], first[b_idx]], axis=1).ravel()
    lengths = np.stack([size[a_idx], size[b_idx]], axis=1).ravel()
    members = order[concat_ranges(starts, lengths)]
    group = np.repeat(np.arange(len(a_idx)), size[a_idx] + size[b_idx])
    cost, outlier = _joint_cost(group, members, x, y, z, len(a_idx), cfg)
    released = np.zeros(len(labels), dtype=bool)
    parent = np.arange(len(uniq))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    outer_used = np.zeros(len(uniq), dtype=bool)
    inner_used = np.zeros(len(uniq), dtype=bool)
    for p in np.argsort(cost, kind="stable"):
        if cost[p] > 2.0:
            break
        a, b = a_idx[p], b_idx[p]
        if outer_used[a] or inner_used[b] or root(a) == root(b):
            continue
        outer_used[a] = inner_used[b] = True
        parent[root(b)] = root(a)
        if outlier[p] >= 0:
            released[outlier[p]] = True
    roots = np.array([root(i) for i in range(len(uniq))])
    out = uniq[roots][track]
    out[released] = -1
    return out


def _joint_cost(group, members, x, y, z, n_pairs, cfg):
    """Cost of joining each candidate pair of fragments and the hit its join gives up.

    The cost is the largest normalised residual of the joint helix fit (at most 1: the pair
    fits as it is). A pair that misses only because of one hit (most often the stray hit
    that ended the inner fragment's walk) is fitted again without its worst hit; the pair
    then costs 1 + the new largest residual and releases that hit.

    Returns:
        float [n_pairs] costs (``inf``: no join) and int [n_pairs] released hit (``-1``: none).
    """
    active = np.ones(len(members), dtype=bool)
    residual = normalised_residual(group, active, x[members], y[members], z[members], n_pairs, cfg.tol_xy, cfg.tol_z)
    cost = np.zeros(n_pairs)
    np.maximum.at(cost, group, np.nan_to_num(residual, nan=np.inf))
    outlier = np.full(n_pairs, -1, dtype=np.int64)
    retry = np.flatnonzero(cost > 1.0)
    if len(retry) == 0:
        return cost, outlier
    # the worst hit of every pair that failed, then a second fit without it
    worst = argmin_per_group(group, -np.nan_to_num(residual, nan=np.inf))[retry]
    active[worst] = False
    in_retry = np.isin(group, retry)
    second = normalised_residual(
        group[in_retry],
        active[in_retry],
        x[members[in_retry]],
        y[members[in_retry]],
        z[members[in_retry]],
        n_pairs,
        cfg.tol_xy,
        cfg.tol_z,
    )
    cost2 = np.zeros(n_pairs)
    np.maximum.at(cost2, group[in_retry], np.nan_to_num(second, nan=-np.inf))
    ok = retry[cost2[retry] <= 1.0]
    cost[retry] = np.inf
    cost[ok] = 1.0 + cost2[ok]
    outlier[retry] = np.where(cost2[retry] <= 1.0, members[worst], -1)
    return cost, outlier
