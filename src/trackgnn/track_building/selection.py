r"""Track-candidate selection on a transverse-momentum estimate.

Most fake candidates of the GNN chain are clean pieces of low-pT loopers that hold no more
than half of their particle's hits. Like the seeding pT cut of a classical tracker, a cut on
the candidate's own pT estimate removes them without touching the targets.

The estimate fits a circle through the beam line to the candidate's hits in the transverse
plane: with :math:`\rho = x^2 + y^2`, a circle through the origin satisfies
:math:`\rho = 2a x + 2b y`, a linear least-squares problem per track with radius
:math:`R = \sqrt{a^2 + b^2}`, and :math:`p_T\,[\mathrm{GeV}] = 0.2998\,B\,[\mathrm{T}]\,R\,[\mathrm{m}]`.
"""

from __future__ import annotations

import numpy as np


def circle_fit(group: np.ndarray, x: np.ndarray, y: np.ndarray, n_groups: int):
    """Least-squares circle through the origin of each group of points (see the module docstring).

    Returns:
        ``(a, b, n, det, scale)``, each float [n_groups]: the centre, the number of points, the
        determinant of the normal equations and :math:`S_{xx} S_{yy}` (``det`` relative to it
        tells collinear points); the centre is inf/NaN where ``det`` is 0.
    """

    def total(values):
        return np.bincount(group, weights=values, minlength=n_groups)

    rho = x * x + y * y
    sxx, sxy, syy, sxr, syr = total(x * x), total(x * y), total(y * y), total(x * rho), total(y * rho)
    det = sxx * syy - sxy * sxy
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 0.5 * (sxr * syy - syr * sxy) / det
        b = 0.5 * (syr * sxx - sxr * sxy) / det
    return a, b, np.bincount(group, minlength=n_groups).astype(np.float64), det, sxx * syy


def candidate_pt(labels: np.ndarray, r: np.ndarray, phi: np.ndarray, bfield_t: float) -> np.ndarray:
    """pT estimate (GeV) of each hit's candidate, broadcast back to the hits.

    Args:
        labels: int [N] track labels (dense or not).
        r, phi: float [N] transverse radius (mm) and azimuth of the hits.
        bfield_t: solenoid field in tesla.

    Returns:
        float [N]; ``inf`` for candidates with fewer than 3 hits or collinear hits (no curvature).
    """
    _, track = np.unique(labels, return_inverse=True)
    x, y = r * np.cos(phi), r * np.sin(phi)
    a, b, n, det, scale = circle_fit(track, x, y, track.max() + 1 if len(track) else 0)
    radius_m = np.hypot(a, b) / 1000.0
    pt = 0.2998 * bfield_t * radius_m
    pt[(n < 3) | ~np.isfinite(pt) | (np.abs(det) <= 1e-12 * np.maximum(scale, 1e-300))] = np.inf
    return pt[track]


def drop_low_pt(labels: np.ndarray, r: np.ndarray, phi: np.ndarray, min_pt: float, bfield_t: float) -> np.ndarray:
    """Labels with the hits of candidates below ``min_pt`` released as singletons (``-1``)."""
    if min_pt <= 0:
        return labels
    out = labels.copy()
    out[candidate_pt(labels, r, phi, bfield_t) < min_pt] = -1
    return out
