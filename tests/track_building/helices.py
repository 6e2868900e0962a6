"""Exact helices from the beam line, for the refinement tests."""

from __future__ import annotations

import numpy as np


def helix(pt_gev, charge, phi0, cot_theta, radii, bfield=2.0, z0=0.0):
    """x, y, z (mm) of a helix from the origin crossing the given transverse radii."""
    radius = 1000.0 * pt_gev / (0.2998 * bfield)
    centre = radius * np.array([np.cos(phi0 + charge * np.pi / 2), np.sin(phi0 + charge * np.pi / 2)])
    turn = 2 * np.arcsin(np.asarray(radii) / (2 * radius))  # angle swept to reach radius r
    start = np.arctan2(-centre[1], -centre[0])
    x = centre[0] + radius * np.cos(start - charge * turn)
    y = centre[1] + radius * np.sin(start - charge * turn)
    return x, y, z0 + cot_theta * radius * turn


RADII = np.array([32.0, 72, 116, 172, 260, 360, 500, 660, 820, 1020])
