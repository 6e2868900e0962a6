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
    rho = x * x + y * y
    n = np.bincount(track)

    def s(values):
        return np.bincount(track, weights=values, minlength=len(n))

    sxx, sxy, syy, sxr, syr = s(x * x), s(x * y), s(y * y), s(x * rho), s(y * rho)
    det = sxx * syy - sxy * sxy
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 0.5 * (sxr * syy - syr * sxy) / det
        b = 0.5 * (syr * sxx - sxr * sxy) / det
        radius_m = np.sqrt(a * a + b * b) / 1000.0
    pt = 0.2998 * bfield_t * radius_m
    pt[(n < 3) | ~np.isfinite(pt) | (np.abs(det) <= 1e-12 * np.maximum(sxx * syy, 1e-300))] = np.inf
    return pt[track]


def drop_low_pt(labels: np.ndarray, r: np.ndarray, phi: np.ndarray, min_pt: float, bfield_t: float) -> np.ndarray:
    """Labels with the hits of candidates below ``min_pt`` released as singletons (``-1``)."""
    if min_pt <= 0:
        return labels
    out = labels.copy()
    out[candidate_pt(labels, r, phi, bfield_t) < min_pt] = -1
    return out
