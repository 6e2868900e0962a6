r"""Attaching unassigned hits to the tracks whose helix passes through them.

Where the GNN scores a particle's edges low for a few layers (a volume boundary, a missing
module), the walk leaves those hits alone and the particle's track is short: with at most
half of the particle's hits it counts as a fake. Its helix still points at the lost hits.

Each track of at least ``min_hits + 1`` hits whose helix fit keeps every hit within the merge
tolerances is followed along its helix where it has no hits: from the beam line to its first
hit, and from its last hit up to ``max_gap`` (mm) further, at most half a turn. The helix
through the origin with centre :math:`(a, b)` and radius :math:`R` reaches the transverse arc
length :math:`s` at

.. math::
    (x, y) = (a, b) + R\,(\cos(\theta_0 + \sigma s / R), \sin(\theta_0 + \sigma s / R)),
    \qquad z = z_0 + s \cot\theta,

with :math:`\theta_0` the angle of the origin seen from the centre and :math:`\sigma = \pm 1`
the sense in which the track's hits run. Unassigned hits near points sampled every
:data:`STEP` mm of path are candidates; a candidate joins the track when its residuals are
within ``attach_xy`` / ``attach_z`` (mm), and a hit wanted by several tracks joins the one it
fits best.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from trackgnn.track_building.grouping import argmin_per_group, concat_ranges
from trackgnn.track_building.helix import arc_length, helix_fit, point_residuals
from trackgnn.track_building.merging import MergeConfig

#: spacing (mm, along the path) of the points sampled on each helix
STEP = 30.0
#: unassigned hits looked up around each sample
NEAREST = 8


def attach_hits(labels: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    """Labels with unassigned hits (labels used once) attached to the tracks they continue.

    Args:
        labels: int [N] track label per hit (unique labels for unassigned hits).
        x, y, z: float [N] hit positions (mm).

    Returns:
        int64 [N]; attached hits take their track's label.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0 or cfg.attach_xy <= 0 or cfg.attach_z <= 0:
        return labels
    uniq, track = np.unique(labels, return_inverse=True)
    size = np.bincount(track)
    free = np.flatnonzero(size[track] == 1)
    params = helix_fit(track, x, y, z, len(uniq))
    d_xy, d_z = point_residuals(params[track], x, y, z)
    worst = np.zeros(len(uniq))
    np.maximum.at(worst, track, np.nan_to_num(np.maximum(d_xy / cfg.tol_xy, d_z / cfg.tol_z), nan=np.inf))
    host = np.flatnonzero((size > cfg.min_hits) & (worst <= 1.0) & np.isfinite(params[:, 2]))
    if len(free) == 0 or len(host) == 0:
        return labels
    reach = STEP / 2 + max(cfg.attach_xy, cfg.attach_z)  # a hit on the helix lies this close to a sample
    t_idx, h_idx = _candidates(host, track, params, x, y, z, free, cfg.max_gap, reach)
    if len(t_idx) == 0:
        return labels
    # (repeated pairs are harmless: each hit keeps its best track)
    c_xy, c_z = point_residuals(params[t_idx], x[h_idx], y[h_idx], z[h_idx])
    cost = np.maximum(c_xy / cfg.attach_xy, c_z / cfg.attach_z)
    ok = cost <= 1.0
    t_idx, h_idx, cost = t_idx[ok], h_idx[ok], cost[ok]
    # each hit joins the track it fits best
    best = argmin_per_group(h_idx, cost)
    out = labels.copy()
    out[h_idx[best]] = uniq[t_idx[best]]
    return out


def _candidates(host, track, params, x, y, z, free, max_gap, reach):
    """(track, hit) pairs (possibly repeated): unassigned hits within ``reach`` (mm) of points
    sampled along the helices of the ``host`` tracks where the tracks have no hits."""
    a, b, radius, z0, cot = params[host].T
    # the stretches of each helix without hits of the track: from the beam line to its first
    # hit, and from its last hit up to max_gap further (at most half a turn)
    rho = x * x + y * y
    s_in = arc_length(_extreme(track, rho, np.minimum)[host], radius)
    s_out = arc_length(_extreme(track, rho, np.maximum)[host], radius)
    s_end = np.minimum(s_out + max_gap, np.pi * radius)
    theta0 = np.arctan2(-b, -a)
    outer = np.zeros(len(params), dtype=np.int64)
    outer[np.unique(track)] = argmin_per_group(track, -rho)  # each track's hit farthest out
    outer = outer[host]
    turn = np.angle(np.exp(1j * (np.arctan2(y[outer] - b, x[outer] - a) - theta0)))
    sense = np.where(turn >= 0, 1.0, -1.0)
    # samples every STEP mm of path length (not transverse arc: forward tracks are steep)
    ds = STEP / np.sqrt(1.0 + cot * cot)
    n_in = np.ceil(s_in / ds).astype(np.int64)
    n_out = np.maximum(np.ceil((s_end - s_out) / ds).astype(np.int64), 0)
    owner = np.r_[np.repeat(np.arange(len(host)), n_in), np.repeat(np.arange(len(host)), n_out)]
    zero = np.zeros(len(host), dtype=np.int64)
    step = np.r_[concat_ranges(zero, n_in), concat_ranges(zero, n_out)] + 0.5  # 0, 1, .. per helix
    s = np.where(np.arange(len(owner)) < n_in.sum(), 0.0, s_out[owner]) + step * ds[owner]
    angle = theta0[owner] + sense[owner] * s / radius[owner]
    points = np.stack(
        [
            a[owner] + radius[owner] * np.cos(angle),
            b[owner] + radius[owner] * np.sin(angle),
            z0[owner] + cot[owner] * s,
        ],
        axis=1,
    )
    tree = cKDTree(np.stack([x[free], y[free], z[free]], axis=1))
    # a fixed number of nearest hits per sample keeps the answer in arrays (no per-point lists)
    k = min(NEAREST, len(free))
    dist, idx = tree.query(points, k=k, distance_upper_bound=reach)
    dist, idx = dist.reshape(len(points), k), idx.reshape(len(points), k)
    found = np.isfinite(dist)
    t_idx = host[np.broadcast_to(owner[:, None], found.shape)[found]]
    h_idx = free[idx[found]]
    return t_idx, h_idx


def _extreme(track, values, pick):
    """``pick`` (``np.minimum`` / ``np.maximum``) of ``values`` over the hits of every track."""
    out = np.full(track.max() + 1, np.inf if pick is np.minimum else -np.inf)
    pick.at(out, track, values)
    return out
