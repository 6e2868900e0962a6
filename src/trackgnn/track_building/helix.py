r"""Helices from the beam line through groups of hits: fit, residuals, arc length.

For a set of hits the transverse circle through the origin is the linear least-squares
solution of :math:`x^2 + y^2 = 2a x + 2b y` (centre :math:`(a, b)`, radius :math:`R`); the
transverse residual of a hit is :math:`d_\perp = |\lVert (x, y) - (a, b) \rVert - R|`. Along
the helix, :math:`z` is linear in the transverse arc length :math:`s = 2R \arcsin(r / 2R)`
(:math:`r = \sqrt{x^2 + y^2}`); a straight-line fit :math:`z = z_0 + s \cot\theta` gives the
longitudinal residual :math:`d_z`. All functions work on many groups at once.
"""

from __future__ import annotations

import numpy as np

from trackgnn.track_building.selection import circle_fit


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


def helix_residuals(
    group: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
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


def normalised_residual(track, active, x, y, z, n_tracks, tol_xy, tol_z):
    r"""Per hit: :math:`\max(d_\perp / tol_{xy}, d_z / tol_z)` against the helix of its track
    fitted on the ``active`` hits (NaN for inactive hits, ``inf`` without a fit)."""
    hits = np.flatnonzero(active)
    params = helix_fit(track[hits], x[hits], y[hits], z[hits], n_tracks)
    d_xy, d_z = point_residuals(params[track[hits]], x[hits], y[hits], z[hits])
    out = np.full(len(x), np.nan)
    out[hits] = np.maximum(d_xy / tol_xy, d_z / tol_z)
    return out
