"""Cutting wrong branches and shedding stray hits, on exact helices."""

from __future__ import annotations

import numpy as np

from tests.track_building.helices import RADII, helix
from trackgnn.track_building.cleaning import drop_outliers, split_inconsistent
from trackgnn.track_building.helix import helix_residuals
from trackgnn.track_building.merging import MergeConfig


def test_a_wrong_branch_is_cut_where_the_helix_breaks():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    xb, yb, zb = helix(0.8, -1, 0.6, 0.3, RADII)
    # one track: the inner 5 hits of a, then the outer 5 of b; b's inner hits alone
    x, y, z = np.r_[xa[:5], xb[5:], xb[:5]], np.r_[ya[:5], yb[5:], yb[:5]], np.r_[za[:5], zb[5:], zb[:5]]
    labels = np.r_[[7] * 10, np.arange(100, 105)]
    cut = split_inconsistent(labels, x, y, z, MergeConfig())
    assert len(set(cut[:5])) == 1 and len(set(cut[5:10])) == 1 and cut[0] != cut[5]
    assert split_inconsistent(labels, x, y, z, MergeConfig(split_xy=0)).tolist() == labels.tolist()


def test_a_stray_hit_is_shed_and_a_scattering_track_keeps_its_hits():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    xs, ys, zs = helix(1.2, -1, 0.43, 0.52, RADII)  # a neighbour: its 6th hit is the stray one
    x, y, z = np.r_[xa[:5], xs[5], xa[6:]], np.r_[ya[:5], ys[5], ya[6:]], np.r_[za[:5], zs[5], za[6:]]
    labels = np.zeros(10, dtype=np.int64)
    assert helix_residuals(labels, x, y, z, 1)[0][0] > MergeConfig().tol_xy
    cleaned = drop_outliers(labels, x, y, z, MergeConfig())
    assert cleaned.tolist() == [0] * 5 + [-1] + [0] * 4
    assert drop_outliers(labels, x, y, z, MergeConfig(max_outliers=0)).tolist() == labels.tolist()
    # every hit off by more than the tolerance (a scattering track): nothing is taken away
    rng = np.random.default_rng(1)
    noisy = ya + rng.normal(0.0, 10.0, size=10)
    assert helix_residuals(labels, xa, noisy, za, 1)[0][0] > MergeConfig().tol_xy
    assert drop_outliers(labels, xa, noisy, za, MergeConfig()).tolist() == labels.tolist()
