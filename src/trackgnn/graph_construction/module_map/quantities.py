"""Doublet quantities cut on by the module map.

For a doublet from hit :math:`i` (inner module) to hit :math:`j` (outer module), with
cylindrical coordinates :math:`(r, \\phi, z)` and pseudorapidity :math:`\\eta`:

.. math::
    \\Delta\\phi = \\operatorname{wrap}(\\phi_j - \\phi_i) \\in [-\\pi, \\pi), \\quad
    \\Delta z = z_j - z_i, \\quad
    z_0 = z_i - r_i \\frac{\\Delta z}{\\Delta r}, \\quad
    \\phi' = \\frac{\\Delta\\phi}{\\Delta r}, \\quad
    \\Delta\\eta = \\eta_j - \\eta_i

(:math:`z_0`: the straight line through both hits at the beam line :math:`r = 0`). Every
quantity is invariant under rotations in :math:`\\phi`; under the mirror :math:`z \\to -z`
:math:`\\Delta z, z_0, \\Delta\\eta` change sign (:data:`MIRROR_SIGN`). Map building and graph
building call the same function on the same float64 inputs, so a training doublet always
lies inside its own pair's range. Infinite values (:math:`\\Delta r = 0`) become the
largest float, NaN (two hits at one point) 0.
"""

from __future__ import annotations

import numpy as np

#: Names of the quantities, in column order.
QUANTITIES = ("dphi", "dz", "z0", "phi_slope", "deta")
#: Factor applied to each quantity by the z mirror.
MIRROR_SIGN = np.array([1.0, -1.0, -1.0, 1.0, -1.0])


def hit_coordinates(arrays: dict) -> np.ndarray:
    """float64 [4, N] rows ``r, phi, z, eta`` of an event's feature-store arrays."""
    return np.stack([np.asarray(arrays[k], np.float64) for k in ("r", "phi", "z", "eta")])


def wrap_phi(dphi: np.ndarray) -> np.ndarray:
    """Angle differences wrapped into [-pi, pi)."""
    return (dphi + np.pi) % (2 * np.pi) - np.pi


def quantity(name: str, inner: np.ndarray, outer: np.ndarray) -> np.ndarray:
    """One quantity (a name of :data:`QUANTITIES`) of doublets.

    Args:
        inner, outer: the two hits' ``r, phi, z, eta``: anything whose item ``k`` is the
            float64 [D] row ``k`` (a [4, D] array, or a lazy gather).

    Returns:
        float64 [D].
    """
    if name == "dphi":
        return wrap_phi(outer[1] - inner[1])
    if name == "dz":
        return outer[2] - inner[2]
    if name == "deta":
        return outer[3] - inner[3]
    dr = outer[0] - inner[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "z0":
            value = inner[2] - inner[0] * ((outer[2] - inner[2]) / dr)
        elif name == "phi_slope":
            value = wrap_phi(outer[1] - inner[1]) / dr
        else:
            raise ValueError(f"module map: unknown doublet quantity {name!r}; expected one of {list(QUANTITIES)}")
    return np.nan_to_num(value, nan=0.0)


def doublet_quantities(inner: np.ndarray, outer: np.ndarray) -> np.ndarray:
    """float64 [D, len(QUANTITIES)]: every quantity of doublets ``inner -> outer`` ([4, D] each)."""
    return np.column_stack([quantity(q, inner, outer) for q in QUANTITIES]).reshape(-1, len(QUANTITIES))
