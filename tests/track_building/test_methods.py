import numpy as np
import pytest

from trackgnn.config import validate_config
from trackgnn.track_building import TRACK_BUILDERS, build_tracks_for_event


def default_builder(name):
    """The builder ``name`` with the config's default settings (the schema's)."""
    return TRACK_BUILDERS.get(name).from_config(validate_config({})["track_building"])


def same_track(labels, nodes):
    return len(set(labels[nodes].tolist())) == 1


def y_graph():
    """Track A: 0->1->2->3->4, track B: 5->6->7->8; a fake edge 2->7 (score 0.9) and a
    weaker true continuation; hit 9 is noise with a low-score edge 1->9."""
    edges = np.array([[0, 1, 2, 3, 5, 6, 7, 2, 1], [1, 2, 3, 4, 6, 7, 8, 7, 9]])
    scores = np.array([0.99, 0.98, 0.95, 0.97, 0.99, 0.96, 0.98, 0.9, 0.2])
    r = np.array([30, 70, 115, 170, 260, 32, 72, 116, 172, 75], dtype=float)
    return 10, edges, scores, r


def test_connected_components_merges_through_a_fake_edge():
    n, edges, scores, r = y_graph()
    labels = TRACK_BUILDERS.get("connected_components")(cut=0.5).build(n, edges, scores, r)
    assert same_track(labels, [0, 1, 2, 3, 4, 5, 6, 7, 8])
    assert labels[9] != labels[0]  # below the cut
    labels = TRACK_BUILDERS.get("connected_components")(cut=0.92).build(n, edges, scores, r)
    assert same_track(labels, [0, 1, 2, 3, 4]) and same_track(labels, [5, 6, 7, 8])
    assert labels[0] != labels[5]


def test_walkthrough_keeps_the_longest_path_and_splits_the_fake_branch():
    n, edges, scores, r = y_graph()
    labels = TRACK_BUILDERS.get("walkthrough")(cut=0.5, walk_min=0.5, walk_branch=0.8, max_branches=64).build(
        n, edges, scores, r
    )
    # from hit 0 the walk can go 2->3->4 or 2->7->8: both branch above 0.8, both give 5 hits;
    # the first explored wins, and track B keeps at least its first two hits
    track_a = np.flatnonzero(labels == labels[0])
    assert len(track_a) == 5
    assert same_track(labels, [5, 6])
    assert len(np.unique(labels)) >= 3
    assert labels[9] not in labels[:9]


def test_walkthrough_prefers_best_score_without_branching():
    n, edges, scores, r = y_graph()
    scores = scores.copy()
    scores[2] = 0.7  # 2->3 weaker than the fake 2->7 (0.9); no branching below 0.95
    labels = TRACK_BUILDERS.get("walkthrough")(cut=0.5, walk_min=0.5, walk_branch=0.95, max_branches=64).build(
        n, edges, scores, r
    )
    assert same_track(labels, [0, 1, 2, 7, 8])
    assert labels[3] != labels[0]


def test_simple_paths_are_accepted_unchanged():
    edges = np.array([[0, 1, 2, 4], [1, 2, 3, 5]])
    scores = np.array([0.9, 0.9, 0.9, 0.9])
    labels = default_builder("walkthrough").build(6, edges, scores, np.arange(6, dtype=float))
    assert same_track(labels, [0, 1, 2, 3]) and same_track(labels, [4, 5]) and labels[0] != labels[4]


def test_no_edges_gives_singletons():
    for name in ("connected_components", "walkthrough"):
        labels = default_builder(name).build(4, np.zeros((2, 0), dtype=np.int64), np.zeros(0), np.zeros(4))
        assert len(np.unique(labels)) == 4


def test_event_driver_checks_scores_and_method():
    arrays = {"hit_id": np.arange(3), "edge_index": np.array([[0], [1]]), "r": np.arange(3.0)}
    with pytest.raises(ValueError, match="no 'gnn_score'"):
        build_tracks_for_event(arrays, validate_config({})["track_building"], "gnn_score")
    with pytest.raises(
        ValueError, match=r"track_building: keys \['cut', 'walk_min', 'walk_branch', 'max_branches'\] missing"
    ):
        build_tracks_for_event({**arrays, "gnn_score": np.ones(1)}, {"method": "walkthrough"}, "gnn_score")
    with pytest.raises(KeyError, match="unknown track_building model 'nope'"):
        build_tracks_for_event({**arrays, "gnn_score": np.ones(1)}, {"method": "nope"}, "gnn_score")
    labels = build_tracks_for_event(
        {**arrays, "gnn_score": np.ones(1)}, {"method": "connected_components", "cut": 0.5}, "gnn_score"
    )
    assert labels[0] == labels[1] != labels[2]


def helix_hits(pt_gev, charge, n=8, bfield=2.0, phi0=0.3):
    """r, phi of hits on a circle through the origin of radius R = pT / (0.2998 B) m."""
    radius = 1000.0 * pt_gev / (0.2998 * bfield)
    centre = radius * np.array([np.cos(phi0 + charge * np.pi / 2), np.sin(phi0 + charge * np.pi / 2)])
    angles = np.linspace(0.05, 0.6, n) * (30.0 / radius) ** 0 * np.minimum(1.0, 600.0 / radius)
    start = np.arctan2(-centre[1], -centre[0])
    xy = centre[:, None] + radius * np.stack([np.cos(start - charge * angles), np.sin(start - charge * angles)])
    return np.hypot(*xy), np.arctan2(xy[1], xy[0])


def test_candidate_pt_recovers_the_helix_radius():
    from trackgnn.track_building.selection import candidate_pt

    for pt in (0.3, 1.0, 5.0):
        for charge in (-1, 1):
            r, phi = helix_hits(pt, charge)
            est = candidate_pt(np.zeros(len(r), dtype=int), r, phi, 2.0)
            assert est == pytest.approx(np.full(len(r), pt), rel=1e-6)


def test_min_pt_releases_low_pt_candidates():
    r1, p1 = helix_hits(0.3, 1)
    r2, p2 = helix_hits(2.0, -1)
    arrays = {
        "hit_id": np.arange(16),
        "r": np.r_[r1, r2],
        "phi": np.r_[p1, p2],
        "z": np.zeros(16),
        "edge_index": np.array([list(range(7)) + list(range(8, 15)), list(range(1, 8)) + list(range(9, 16))]),
    }
    arrays["gnn_score"] = np.ones(arrays["edge_index"].shape[1])
    section = {"method": "connected_components", "cut": 0.5, "min_pt": 0.6, "bfield_t": 2.0}
    labels = build_tracks_for_event(arrays, section, "gnn_score")
    assert same_track(labels, list(range(8, 16)))
    assert len(np.unique(labels[:8])) == 8  # the 0.3 GeV candidate is released hit by hit
    labels = build_tracks_for_event(arrays, {**section, "min_pt": 0.0}, "gnn_score")
    assert same_track(labels, list(range(8)))
