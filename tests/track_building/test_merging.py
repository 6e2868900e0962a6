"""Joining fragments of one helix, and the refinement in the per-event driver."""

from __future__ import annotations

import numpy as np
import pytest

from tests.track_building.helices import RADII, helix
from trackgnn.config import validate_config
from trackgnn.track_building import build_tracks_for_event
from trackgnn.track_building.merging import MergeConfig, merge_fragments

#: The walk settings of the default config (the schema's defaults).
WALK = {k: validate_config({})["track_building"][k] for k in ("walk_min", "walk_branch", "max_branches")}


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


def test_fragments_join_across_a_stray_hit_that_ended_the_inner_walk():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    # inner fragment: a's first 5 hits then a stray hit 4 mm off a's helix next to a's 7th hit
    # (beyond a's 6th, where the outer fragment starts); outer fragment: a's 6th hit on
    x, y, z = np.r_[xa[:5], xa[6], xa[5:]], np.r_[ya[:5], ya[6] + 4.0, ya[5:]], np.r_[za[:5], za[6], za[5:]]
    labels = np.r_[[0] * 6, [1] * 5]
    merged = merge_fragments(labels, x, y, z, MergeConfig())
    assert merged[5] == -1  # the stray hit is given up
    assert len(set(merged[np.r_[0:5, 6:11]])) == 1
    # without the stray hit the plain join is taken
    clean = merge_fragments(np.delete(labels, 5), np.delete(x, 5), np.delete(y, 5), np.delete(z, 5), MergeConfig())
    assert len(set(clean)) == 1


def test_the_driver_merges_when_configured():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    arrays = {
        "hit_id": np.arange(10),
        "r": np.hypot(xa, ya),
        "phi": np.arctan2(ya, xa),
        "z": za,
        "edge_index": np.array([[0, 1, 2, 3, 5, 6, 7, 8], [1, 2, 3, 4, 6, 7, 8, 9]]),
    }
    arrays["gnn_score"] = np.ones(8)
    section = {**WALK, "method": "walkthrough", "cut": 0.5}
    assert len(set(build_tracks_for_event(arrays, section, "gnn_score"))) == 2
    assert len(set(build_tracks_for_event(arrays, {**section, "merge": {}}, "gnn_score"))) == 1
    with pytest.raises(ValueError, match="unknown key"):
        build_tracks_for_event(arrays, {**section, "merge": {"tol": 1}}, "gnn_score")


def test_the_driver_joins_fragments_brought_within_reach_by_attached_hits():
    xa, ya, za = helix(5.0, 1, 0.4, 0.5, RADII)
    # the walk found hits 0-2 and 6-9; hits 3-5 were scored low and left alone
    arrays = {
        "hit_id": np.arange(10),
        "r": np.hypot(xa, ya),
        "phi": np.arctan2(ya, xa),
        "z": za,
        "edge_index": np.array([[0, 1, 6, 7, 8], [1, 2, 7, 8, 9]]),
    }
    arrays["gnn_score"] = np.ones(5)
    section = {**WALK, "method": "walkthrough", "cut": 0.5}
    gap = float(np.linalg.norm([xa[6] - xa[2], ya[6] - ya[2], za[6] - za[2]]))
    reach = float(np.linalg.norm([xa[6] - xa[5], ya[6] - ya[5], za[6] - za[5]]))
    assert reach < 200.0 < gap
    labels = build_tracks_for_event(arrays, {**section, "merge": {"max_gap": 200.0}}, "gnn_score")
    assert len(set(labels)) == 1


def test_the_driver_gives_released_hits_labels_of_their_own():
    xa, ya, za = helix(1.0, 1, 0.4, 0.5, RADII)
    # the stray hit of test_fragments_join_across_a_stray_hit_that_ended_the_inner_walk, as walked
    x, y, z = np.r_[xa[:5], xa[6], xa[5:]], np.r_[ya[:5], ya[6] + 4.0, ya[5:]], np.r_[za[:5], za[6], za[5:]]
    arrays = {
        "hit_id": np.arange(11),
        "r": np.hypot(x, y),
        "phi": np.arctan2(y, x),
        "z": z,
        "edge_index": np.array([[0, 1, 2, 3, 4, 6, 7, 8, 9], [1, 2, 3, 4, 5, 7, 8, 9, 10]]),
    }
    arrays["gnn_score"] = np.ones(9)
    section = {**WALK, "method": "walkthrough", "cut": 0.5, "merge": {"max_outliers": 0}, "min_pt": 0.0}
    labels = build_tracks_for_event(arrays, section, "gnn_score")
    assert (labels >= 0).all()
    assert len(set(labels[np.r_[0:5, 6:11]])) == 1 and labels[5] not in labels[np.r_[0:5, 6:11]]
