import numpy as np
import pandas as pd
import pytest

from trackgnn.metrics import TargetCuts, tracking_metrics, trackml_score
from trackgnn.metrics.matching import match_tracks
from trackgnn.metrics.tracking import binned_efficiency, particle_table

from .hand_event import NOISE, P1, P2, P3, hand_event, tracks_from


def test_perfect_tracks_score_one():
    truth, particles = hand_event()
    tracks = tracks_from([P1, P2, P3] + [[h] for h in NOISE])
    m = tracking_metrics(tracks, truth, particles, TargetCuts())
    assert m["trackml_score"] == pytest.approx(1.0)
    assert m["efficiency"] == 1.0 and m["fake_rate"] == 0.0 and m["duplicate_rate"] == 0.0
    assert m["n_target_particles"] == 3 and m["n_tracks_counted"] == 3


def test_singletons_score_zero():
    truth, particles = hand_event()
    tracks = tracks_from([[h] for h in truth["hit_id"]])
    m = tracking_metrics(tracks, truth, particles)
    assert m["trackml_score"] == 0.0 and m["efficiency"] == 0.0
    assert m["n_tracks_counted"] == 0  # no track reaches 5 hits
    assert np.isnan(m["fake_rate"])


def test_exactly_half_purity_or_half_of_particle_does_not_count():
    truth, particles = hand_event()
    # track A: 3 hits of particle 2 + 3 of particle 3 -> purity exactly 50 % for both
    # track B: other 3 hits of particle 2 + 1 noise -> purity 75 % but only 50 % of particle 2
    # track C: other 3 hits of particle 3 + 3 noise -> 50 %
    tracks = tracks_from([P1, P2[:3] + P3[:3], P2[3:] + NOISE[:1], P3[3:] + NOISE[1:4]])
    m = tracking_metrics(tracks, truth, particles, TargetCuts(min_hits=4))
    w = truth.set_index("hit_id")["weight"]
    assert m["trackml_score"] == pytest.approx(w.loc[P1].sum())
    assert m["efficiency"] == pytest.approx(1 / 3)
    # counted tracks (>= 4 hits): P1, A, B, C; B, A, C are not matched; none is a duplicate
    assert m["n_tracks_counted"] == 4
    assert m["fake_rate"] == pytest.approx(3 / 4)
    assert m["duplicate_rate"] == 0.0


def test_noise_only_track_is_fake_and_duplicate_is_counted():
    truth, particles = hand_event()
    tracks = tracks_from([P1[:6], P1[6:] + NOISE[:1], NOISE[1:6], P2, P3])
    m = tracking_metrics(tracks, truth, particles)
    # counted: P1[:6] (matched), P1[6:]+noise (purity 4/5 on matched particle 1: duplicate),
    # 5 noise hits (fake), P2, P3 (matched)
    assert m["n_tracks_counted"] == 5
    assert m["duplicate_rate"] == pytest.approx(1 / 5)
    assert m["fake_rate"] == pytest.approx(1 / 5)
    assert m["efficiency"] == 1.0
    w = truth.set_index("hit_id")["weight"]
    assert m["trackml_score"] == pytest.approx(w.loc[P1[:6]].sum() + w.loc[P2].sum() + w.loc[P3].sum())


def test_target_cuts_select_particles():
    truth, particles = hand_event()
    tracks = tracks_from([P1, P2, P3])
    assert tracking_metrics(tracks, truth, particles, TargetCuts(min_hits=7))["n_target_particles"] == 1
    assert tracking_metrics(tracks, truth, particles, TargetCuts(pt_min=3.0))["n_target_particles"] == 0


def test_missing_hits_become_singletons_and_bad_tracks_are_refused():
    truth, particles = hand_event()
    m = tracking_metrics(tracks_from([P1]), truth, particles)
    assert m["efficiency"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="more than one track"):
        match_tracks(pd.DataFrame({"hit_id": [1, 1], "track_id": [0, 1]}), truth)
    with pytest.raises(ValueError, match="not a hit"):
        match_tracks(pd.DataFrame({"hit_id": [999], "track_id": [0]}), truth)


def test_score_needs_weights():
    truth, _ = hand_event()
    with pytest.raises(ValueError, match="weight"):
        trackml_score(tracks_from([P1]), truth.drop(columns="weight"))


def test_binned_efficiency_counts_targets_per_bin():
    truth, particles = hand_event()
    pairs = match_tracks(tracks_from([P1, P2[:2]]), truth)
    table = particle_table(pairs, truth, particles, TargetCuts())
    binned = binned_efficiency(table, "pt", [0.5, 1.5, 2.5, 10.0])
    assert binned["n_target"].tolist() == [0, 3, 0]
    assert binned["n_reconstructed"].tolist() == [0, 1, 0]
    assert binned["efficiency"].iloc[1] == pytest.approx(1 / 3)
    # 68% Wilson interval around 1 of 3, none in the empty bins
    low, high = 1 / 3 - binned["error_low"].iloc[1], 1 / 3 + binned["error_high"].iloc[1]
    assert 0.05 < low < 1 / 3 < high < 0.7
    assert binned["error_low"].iloc[[0, 2]].isna().all()
