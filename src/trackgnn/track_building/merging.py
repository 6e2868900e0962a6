r"""Joining track fragments that one helix explains.

A particle whose chain of edges breaks once (an edge lost in graph construction or scored
low by the GNN, most often where it crosses from one detector volume into the next) comes
out of the walk as two pieces. Each holds at most half of the particle's hits, so each is a
fake track under the double-majority rule although together they are a found particle.

Fragments are joined when a helix from the beam line describes both. For a set of hits the
transverse circle through the origin is the linear least-squares solution of
:math:`x^2 + y^2 = 2a x + 2b y` (centre :math:`(a, b)`, radius :math:`R`); the transverse
residual of a hit is :math:`d_\perp = |\lVert (x, y) - (a, b) \rVert - R|`. Along the helix,
:math:`z` is linear in the transverse arc length :math:`s = 2R \arcsin(r / 2R)`
(:math:`r = \sqrt{x^2 + y^2}`); a straight-line fit :math:`z = z_0 + s \cot\theta` gives the
longitudinal residual :math:`d_z`.

Candidate pairs join the outermost hit of fragment :math:`A` to the innermost hit of a
fragment :math:`B` that starts further out and within ``max_gap`` (mm). A pair is
compatible when the joint fit of :math:`A \cup B` keeps every :math:`d_\perp \le`
``tol_xy`` and :math:`d_z \le` ``tol_z``. Pairs are accepted greedily from the best joint
fit, each fragment end used once, so chains :math:`A \to B \to C` form but no branches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from trackgnn.track_building.selection import circle_fit


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
    """

    enabled: bool = True
    max_gap: float = 1000.0
    tol_xy: float = 3.0
    tol_z: float = 15.0
    split_xy: float = 20.0
    split_z: float = 100.0
    min_hits: int = 3
    candidates: int = 8

    @classmethod
    def from_section(cls, section: dict | None) -> "MergeConfig":
        section = dict(section or {})
        unknown = set(section) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"track_building.merge: unknown key(s) {sorted(unknown)}")
        return cls(**section)


def helix_fit(group: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, n_groups: int) -> np.ndarray:
    """Helix parameters of each group of hits: float [n_groups, 5] rows ``(a, b, R, z0, cot)``
    (circle centre and radius in mm, :math:`z = z_0 + s \\cot\\theta`); NaN when fewer than
    3 hits or degenerate."""

    def total(values):
        return np.bincount(group, weights=values, minlength=n_groups)

    a, b, n, _, _ = circle_fit(group, x, y, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        radius = np.hypot(a, b)
        s = arc_length(x * x + y * y, radius[group])
        ss, sz, sss, ssz = total(s), total(z), total(s * s), total(s * z)
        cot = (n * ssz - ss * sz) / (n * sss - ss * ss)
        z0 = (sz - cot * ss) / n
    params = np.stack([a, b, radius, z0, cot], axis=1)
    params[(n < 3) | ~np.all(np.isfinite(params), axis=1)] = np.nan
    return params


def arc_length(rho: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Transverse arc length from the origin to a point at squared radius ``rho`` on a circle
    of ``radius`` through the origin."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return 2 * radius * np.arcsin(np.clip(np.sqrt(rho) / (2 * radius), 0.0, 1.0))


def point_residuals(params: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Transverse and longitudinal residual (mm) of points against helices ``params`` [M, 5]."""
    a, b, radius, z0, cot = params.T
    d_xy = np.abs(np.hypot(x - a, y - b) - radius)
    d_z = np.abs(z - z0 - cot * arc_length(x * x + y * y, radius))
    bad = ~np.isfinite(radius)
    return np.where(bad, np.inf, d_xy), np.where(bad, np.inf, d_z)


def helix_residuals(group: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Largest transverse and longitudinal residual (mm) of each group's helix fit.

    Args:
        group: int [M] group index of each hit (``0 .. n_groups - 1``); a hit may appear in
            several groups by being listed several times.
        x, y, z: float [M] hit positions (mm).

    Returns:
        two float [n_groups] arrays; ``inf`` for groups with fewer than 3 hits or a
        degenerate fit.
    """
    params = helix_fit(group, x, y, z, n_groups)
    d_xy, d_z = point_residuals(params[group], x, y, z)
    max_xy = np.zeros(n_groups)
    max_z = np.zeros(n_groups)
    np.maximum.at(max_xy, group, np.nan_to_num(d_xy, nan=np.inf))
    np.maximum.at(max_z, group, np.nan_to_num(d_z, nan=np.inf))
    bad = ~np.isfinite(params[:, 2])
    max_xy[bad] = np.inf
    max_z[bad] = np.inf
    return max_xy, max_z


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
    return np.stack([np.cos(angle) * sc["centre_angle"], np.sin(angle) * sc["centre_angle"],
                     sc["curvature"] / radius, cot * sc["cot_theta"], z0 * sc["z0"]], axis=1)


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
    keep = (b_idx != a_idx) & (dist[inner[b_idx]] > dist[outer[a_idx]]) & (gap <= cfg.max_gap)  # B starts beyond A's end
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
    hits_of = np.split(order, first[1:])
    pair_hits = [np.concatenate([hits_of[a], hits_of[b]]) for a, b in zip(a_idx, b_idx)]
    group = np.repeat(np.arange(len(a_idx)), [len(h) for h in pair_hits])
    members = np.concatenate(pair_hits)
    max_xy, max_z = helix_residuals(group, x[members], y[members], z[members], len(a_idx))
    cost = np.maximum(max_xy / cfg.tol_xy, max_z / cfg.tol_z)
    parent = np.arange(len(uniq))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    outer_used = np.zeros(len(uniq), dtype=bool)
    inner_used = np.zeros(len(uniq), dtype=bool)
    for p in np.argsort(cost, kind="stable"):
        if cost[p] > 1.0:
            break
        a, b = a_idx[p], b_idx[p]
        if outer_used[a] or inner_used[b] or root(a) == root(b):
            continue
        outer_used[a] = inner_used[b] = True
        parent[root(b)] = root(a)
    roots = np.array([root(i) for i in range(len(uniq))])
    return uniq[roots][track]
