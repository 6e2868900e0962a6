"""Attaching unassigned hits to the helix of a track, on exact helices."""

from __future__ import annotations

import numpy as np

from tests.track_building.helices import RADII, helix
from trackgnn.track_building.extension import attach_hits
from trackgnn.track_building.merging import MergeConfig


def test_unassigned_hits_on_a_track_helix_are_attached():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    xb, yb, zb = helix(0.7, -1, 1.6, -0.3, RADII)  # elsewhere in the detector
    x, y, z = np.r_[xa, xb[:3]], np.r_[ya, yb[:3]], np.r_[za, zb[:3]]
    # a track of a's inner 5 hits; a's outer hits and b's hits unassigned
    labels = np.r_[[0] * 5, np.arange(10, 15), np.arange(20, 23)]
    attached = attach_hits(labels, x, y, z, MergeConfig())
    assert attached[:10].tolist() == [0] * 10
    assert attached[10:].tolist() == labels[10:].tolist()
    assert attach_hits(labels, x, y, z, MergeConfig(attach_xy=0)).tolist() == labels.tolist()
    # within reach only: nothing beyond max_gap past the track's last hit
    short = attach_hits(labels, x, y, z, MergeConfig(max_gap=150.0))
    assert short[5] == 0 and short[9] != 0
    # a track of one particle does not take hits of another that cross its helix far off
    y_off = y.copy()
    y_off[7] += 5.0
    assert attach_hits(labels, x, y_off, z, MergeConfig())[7] == labels[7]
