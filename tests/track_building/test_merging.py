"""Fragment merging and the split of helix-inconsistent tracks, on exact helices."""

from __future__ import annotations

import numpy as np
import pytest

from trackgnn.track_building import build_tracks_for_event
from trackgnn.track_building.merging import MergeConfig, helix_residuals, merge_fragments, split_inconsistent


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


def test_fragments_of_one_helix_are_joined_and_others_not():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    xb, yb, zb = helix(3.0, -1, 0.45, 0.5, RADII)  # a neighbour in phi and eta
    x, y, z = np.r_[xa, xb], np.r_[ya, yb], np.r_[za, zb]
    # particle a broken after its 5th hit; particle b whole
    labels = np.r_[[0] * 5, [1] * 5, [2] * 10]
    merged = merge_fragments(labels, x, y, z, MergeConfig())
    assert len(set(merged[:10])) == 1
    assert set(merged[:10]).isdisjoint(merged[10:])
    assert merge_fragments(labels, x, y, z, MergeConfig(enabled=False)).tolist() == labels.tolist()
    # beyond max_gap, no join
    far = merge_fragments(labels, x, y, z, MergeConfig(max_gap=50.0))
    assert len(set(far[:10])) == 2


def test_a_wrong_branch_is_cut_where_the_helix_breaks():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    xb, yb, zb = helix(0.8, -1, 0.6, 0.3, RADII)
    # one track: the inner 5 hits of a, then the outer 5 of b; b's inner hits alone
    x, y, z = np.r_[xa[:5], xb[5:], xb[:5]], np.r_[ya[:5], yb[5:], yb[:5]], np.r_[za[:5], zb[5:], zb[:5]]
    labels = np.r_[[7] * 10, np.arange(100, 105)]
    cut = split_inconsistent(labels, x, y, z, MergeConfig())
    assert len(set(cut[:5])) == 1 and len(set(cut[5:10])) == 1 and cut[0] != cut[5]
    assert split_inconsistent(labels, x, y, z, MergeConfig(split_xy=0)).tolist() == labels.tolist()


def test_the_driver_merges_when_configured():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    arrays = {"hit_id": np.arange(10), "r": np.hypot(xa, ya), "phi": np.arctan2(ya, xa), "z": za,
              "edge_index": np.array([[0, 1, 2, 3, 5, 6, 7, 8], [1, 2, 3, 4, 6, 7, 8, 9]])}
    arrays["gnn_score"] = np.ones(8)
    section = {"method": "walkthrough", "cut": 0.5}
    assert len(set(build_tracks_for_event(arrays, section, "gnn_score"))) == 2
    assert len(set(build_tracks_for_event(arrays, {**section, "merge": {}}, "gnn_score"))) == 1
    with pytest.raises(ValueError, match="unknown key"):
        build_tracks_for_event(arrays, {**section, "merge": {"tol": 1}}, "gnn_score")
