"""The TrackML score as the official scorer computes it (normalised by the truth's total
weight), the full-submission rule of ``trackgnn score`` (``--partial``), and the warning
for events without target particles."""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from trackgnn.cli import main
from trackgnn.evaluation import evaluate_events
from trackgnn.io import write_event
from trackgnn.io.errors import TrackMLFormatError
from trackgnn.metrics import TargetCuts, tracking_metrics, trackml_score, truth_weights
from trackgnn.metrics.matching import check_submission

from .hand_event import NOISE, P1, P2, P3, hand_event, tracks_from

EVENT = 3


def synthetic_event(n_particles: int = 400, seed: int = 5):
    """(hits, particles, truth) of a random event with weights summing to one, and noise."""
    rng = np.random.default_rng(seed)
    nhits = rng.integers(1, 16, n_particles)
    pid = np.arange(1, n_particles + 1, dtype=np.int64) << 28
    phi = rng.uniform(-np.pi, np.pi, n_particles)
    pt = rng.exponential(1.0, n_particles) + 0.1
    particles = pd.DataFrame(
        {
            "particle_id": pid,
            "vx": 0.0,
            "vy": 0.0,
            "vz": rng.normal(0, 50, n_particles),
            "px": pt * np.cos(phi),
            "py": pt * np.sin(phi),
            "pz": rng.normal(0, 2, n_particles),
            "q": 1,
            "nhits": nhits,
        }
    )
    owner = np.repeat(np.arange(n_particles), nhits)
    step = np.concatenate([np.arange(1, n + 1) for n in nhits])
    n_noise = 200
    n_hits = len(owner) + n_noise
    r = np.concatenate([30.0 * step, rng.uniform(30, 1000, n_noise)])
    angle = np.concatenate([phi[owner], rng.uniform(-np.pi, np.pi, n_noise)])
    hit_id = rng.permutation(n_hits).astype(np.int64) + 1
    truth = pd.DataFrame(
        {
            "hit_id": hit_id,
            "particle_id": np.concatenate([pid[owner], np.zeros(n_noise, np.int64)]),
            "tx": r * np.cos(angle),
            "ty": r * np.sin(angle),
            "tz": 0.0,
            "tpx": 0.0,
            "tpy": 0.0,
            "tpz": 0.0,
        }
    )
    truth["weight"] = truth_weights(truth, particles)
    hits = pd.DataFrame(
        {
            "hit_id": hit_id,
            "x": truth["tx"],
            "y": truth["ty"],
            "z": truth["tz"],
            "volume_id": 8,
            "layer_id": 2,
            "module_id": 1,
        }
    )
    return hits, particles, truth


def cut_event(directory, fraction_particles: float = 0.05):
    """Write an event cut to a few of its particles (and its noise): weights sum well below 1."""
    hits, particles, truth = synthetic_event()
    keep_pids = particles["particle_id"].to_numpy()[:: int(round(1 / fraction_particles))]
    keep = truth["particle_id"].isin(keep_pids).to_numpy() | (truth["particle_id"] == 0).to_numpy()
    truth = truth[keep].reset_index(drop=True)
    write_event(
        directory,
        EVENT,
        hits=hits[keep].reset_index(drop=True),
        particles=particles[particles["particle_id"].isin(keep_pids)],
        truth=truth,
    )
    return truth


def perfect_tracks(truth: pd.DataFrame) -> pd.DataFrame:
    pid = truth["particle_id"].to_numpy()
    track = np.where(pid == 0, -np.arange(1, len(pid) + 1), pid)  # noise hits as singletons
    _, dense = np.unique(track, return_inverse=True)
    return pd.DataFrame({"event_id": EVENT, "hit_id": truth["hit_id"].to_numpy(), "track_id": dense})


def score_cli(event_dir, tracks_path, *extra) -> int:
    return main(["score", "--event-dir", str(event_dir), "--tracks", str(tracks_path), *extra])


def test_perfect_submission_of_a_cut_event_scores_exactly_one(tmp_path, capsys):
    truth = cut_event(tmp_path)
    total = float(truth["weight"].astype(np.float32).astype(np.float64).sum())
    assert 0.01 < total < 0.2  # far from one: without the normalisation the score would be ~total
    tracks = perfect_tracks(truth).sample(frac=1.0, random_state=1)  # row order must not matter
    tracks.to_csv(tmp_path / "t.csv", index=False)
    assert score_cli(tmp_path, tmp_path / "t.csv") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["trackml_score"] == 1.0  # exactly
    assert result["efficiency"] == 1.0 and result["n_missing_hits"] == 0


def test_score_is_matched_weight_over_total_weight():
    truth, _ = hand_event()
    full = trackml_score(tracks_from([P1, P2, P3] + [[h] for h in NOISE]), truth)
    assert full == 1.0
    w = truth.set_index("hit_id")["weight"].to_numpy(np.float32).astype(np.float64)
    half = trackml_score(tracks_from([P1, P2 + P3] + [[h] for h in NOISE]), truth)
    assert half == pytest.approx(w[:10].sum() / w.sum())
    # the same submission against truth weights scaled by 0.05 (a cut event): the same score
    scaled = truth.assign(weight=truth["weight"] * 0.05)
    assert trackml_score(tracks_from([P1, P2 + P3] + [[h] for h in NOISE]), scaled) == pytest.approx(half)
    assert math.isnan(trackml_score(tracks_from([P1]), truth.assign(weight=0.0)))


def test_half_submission_refused_without_partial_scored_with(tmp_path, capsys):
    truth = cut_event(tmp_path)
    tracks = perfect_tracks(truth)
    half = tracks.sample(frac=0.5, random_state=0)
    half.to_csv(tmp_path / "half.csv", index=False)
    assert score_cli(tmp_path, tmp_path / "half.csv") == 1
    err = capsys.readouterr().err
    n_missing = len(tracks) - len(half)
    assert "half.csv: event 3:" in err
    assert f"{n_missing} of the event's {len(tracks)} hits missing (first: " in err and "--partial" in err
    assert score_cli(tmp_path, tmp_path / "half.csv", "--partial") == 0
    result = json.loads(capsys.readouterr().out)
    assert 0 < result["trackml_score"] < 1 and result["n_missing_hits"] == n_missing
    # the score of the partial submission equals that of the submission with the missing
    # hits as singletons (unassigned)
    rest = tracks.drop(index=half.index).assign(track_id=lambda f: f["track_id"].max() + 1 + np.arange(len(f)))
    pd.concat([half, rest]).to_csv(tmp_path / "filled.csv", index=False)
    assert score_cli(tmp_path, tmp_path / "filled.csv") == 0
    assert json.loads(capsys.readouterr().out)["trackml_score"] == pytest.approx(result["trackml_score"])


def test_duplicated_and_unknown_hits_refused_even_with_partial(tmp_path, capsys):
    truth = cut_event(tmp_path)
    tracks = perfect_tracks(truth)
    dup = pd.concat([tracks, tracks.iloc[[4, 9]].assign(track_id=0)])
    dup.to_csv(tmp_path / "dup.csv", index=False)
    for extra in ((), ("--partial",)):
        assert score_cli(tmp_path, tmp_path / "dup.csv", *extra) == 1
        err = capsys.readouterr().err
        assert "dup.csv" in err and "appears twice" in err
    # frames handed to evaluate_events directly: counted with the first few ids
    with pytest.raises(TrackMLFormatError, match=r"event 3: 2 hit_id\(s\) listed more than once \(first: "):
        evaluate_events([(dup, tmp_path)], partial=True)
    unknown = pd.concat([tracks, pd.DataFrame({"event_id": [EVENT] * 2, "hit_id": [10**9, 10**9 + 1], "track_id": 0})])
    unknown.to_csv(tmp_path / "unknown.csv", index=False)
    for extra in ((), ("--partial",)):
        assert score_cli(tmp_path, tmp_path / "unknown.csv", *extra) == 1
        err = capsys.readouterr().err
        assert (
            "unknown.csv: event 3: 2 hit_id(s) that are not hits of the event (event000000003-hits.csv) "
            "(first: 1000000000, 1000000001)"
        ) in err


def test_check_submission_lists_a_few_ids():
    with pytest.raises(
        TrackMLFormatError, match=r"12 of the event's 20 hits missing \(first: 9, 10, 11, 12, 13, \.\.\.\)"
    ):
        check_submission(np.arange(1, 9), np.arange(1, 21), event_id=1)
    assert check_submission(np.arange(1, 9), np.arange(1, 21), partial=True) == 12
    assert check_submission(np.arange(20, 0, -1), np.arange(1, 21)) == 0


def test_score_help_prints_single_percent_signs():
    out = subprocess.run(
        [sys.executable, "-m", "trackgnn", "score", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert ">50% of the track" in out and "%%" not in out and "--partial" in out


def test_workflow_evaluate_accepts_tracks_without_noise_hits(tmp_path):
    # the GNN chain with feature_store.remove_noise leaves noise hits out of its tracks
    from trackgnn.cli.evaluate import evaluate  # noqa: F401  (the command passes partial=True)

    truth = cut_event(tmp_path)
    tracks = perfect_tracks(truth)
    signal = tracks[truth["particle_id"].to_numpy() != 0]
    result = evaluate_events([(signal, tmp_path, "gnn.csv")], partial=True)
    assert result["target"]["trackml_score"] == 1.0
    assert result["target"]["n_missing_hits"] == int((truth["particle_id"] == 0).sum())


# --- zero target particles -------------------------------------------------------------


def _hand_dir(tmp_path, particles: bool | str = True):
    truth, parts = hand_event()
    hits = pd.DataFrame(
        {
            "hit_id": truth["hit_id"],
            "x": truth["tx"],
            "y": truth["ty"],
            "z": truth["tz"],
            "volume_id": 8,
            "layer_id": 2,
            "module_id": truth["hit_id"],
        }
    )
    if particles == "empty":
        truth = truth.assign(particle_id=0, weight=0.0)
        parts = parts.iloc[:0]
    write_event(tmp_path, 5, hits=hits, particles=parts if particles else None, truth=truth)
    return truth


def _all_tracks(truth):
    return tracks_from([P1, P2, P3] + [[h] for h in NOISE]).assign(event_id=5)


def test_no_particles_file_warns_zero_targets(tmp_path, caplog):
    truth = _hand_dir(tmp_path, particles=False)
    with caplog.at_level(logging.WARNING):
        result = evaluate_events([(_all_tracks(truth), tmp_path)])["target"]
    assert result["n_target_particles"] == 0 and math.isnan(result["efficiency"])
    assert result["trackml_score"] == 1.0  # the score needs the truth only
    assert any(
        "no particles file: zero target particles" in r.getMessage() and r.levelno == logging.WARNING
        for r in caplog.records
    )


def test_particles_file_without_rows_warns_zero_targets(tmp_path, caplog):
    truth = _hand_dir(tmp_path, particles="empty")
    with caplog.at_level(logging.WARNING):
        result = evaluate_events([(_all_tracks(truth), tmp_path)])["target"]
    assert result["n_target_particles"] == 0 and math.isnan(result["trackml_score"])
    assert any("the particles file has no rows: zero target particles" in r.getMessage() for r in caplog.records)


def test_particles_outside_the_cuts_do_not_warn(tmp_path, caplog):
    truth = _hand_dir(tmp_path)
    with caplog.at_level(logging.WARNING):
        result = evaluate_events([(_all_tracks(truth), tmp_path)], TargetCuts(pt_min=100.0))["target"]
    assert result["n_target_particles"] == 0 and math.isnan(result["efficiency"])
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_tracking_metrics_without_particles_warns(caplog):
    truth, _ = hand_event()
    with caplog.at_level(logging.WARNING):
        m = tracking_metrics(_all_tracks(truth)[["hit_id", "track_id"]], truth, None)
    assert m["n_target_particles"] == 0 and m["trackml_score"] == 1.0
    assert any("zero target particles" in r.getMessage() for r in caplog.records)


def test_score_cli_without_particles_file(tmp_path, capsys, caplog):
    truth = _hand_dir(tmp_path, particles=False)
    _all_tracks(truth).to_csv(tmp_path / "t.csv", index=False)
    with caplog.at_level(logging.WARNING):
        assert score_cli(tmp_path, tmp_path / "t.csv") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["trackml_score"] == 1.0 and result["n_target_particles"] == 0
    assert any("zero target particles" in r.getMessage() for r in caplog.records)
