"""Helix fits and residuals on exact helices."""

from __future__ import annotations

import numpy as np

from tests.track_building.helices import RADII, helix
from trackgnn.track_building.helix import helix_residuals


def test_residuals_vanish_on_a_helix_and_grow_off_it():
    x, y, z = helix(1.5, 1, 0.4, 0.8, RADII, z0=20.0)
    g = np.zeros(len(x), dtype=int)
    rx, rz = helix_residuals(g, x, y, z, 1)
    assert rx[0] < 1e-6 and rz[0] < 1e-6
    y2 = y.copy()
    y2[5] += 5.0
    rx2, _ = helix_residuals(g, x, y2, z, 1)
    assert rx2[0] > 1.0
    rx3, _ = helix_residuals(np.zeros(2, dtype=int), x[:2], y[:2], z[:2], 1)
    assert np.isinf(rx3[0])  # fewer than 3 hits: no fit
