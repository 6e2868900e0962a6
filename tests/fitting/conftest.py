"""Simulated events and one fit of their truth-built candidates, shared by the fit tests."""

from __future__ import annotations

import pandas as pd
import pytest

EVENTS = [0, 1]


def write_candidates(path, frames: dict[int, pd.DataFrame]) -> None:
    """``{event_id: frame(hit_id, track_id)}`` -> a tracks CSV."""
    rows = [frame.assign(event_id=event_id)[["event_id", "hit_id", "track_id"]] for event_id, frame in frames.items()]
    pd.concat(rows, ignore_index=True).to_csv(path, index=False)


@pytest.fixture(scope="session")
def sim_events(tmp_path_factory):
    """Two default-config events (mu = 10, ~400 particles each)."""
    pytest.importorskip("acts")
    from trackgnn.simulation import simulate_events

    folder = tmp_path_factory.mktemp("fit-events") / "events"
    simulate_events({}, folder, EVENTS, seed=23, progress=False)
    return folder


@pytest.fixture(scope="session")
def truth_fit(sim_events, tmp_path_factory):
    """``trackgnn fit-tracks`` (no CKF extension) on one candidate per particle (noise hits
    unassigned)."""
    from trackgnn.cli import main
    from trackgnn.fitting.mock import truth_candidates
    from trackgnn.io import read_event

    base = tmp_path_factory.mktemp("truth-fit")
    frames = {
        e: truth_candidates(read_event(sim_events, e, parts=("truth",), require=("truth",)).truth) for e in EVENTS
    }
    write_candidates(base / "candidates.csv", frames)
    config = base / "config.yaml"
    config.write_text("fitting: {extend_ckf: false}\n")  # the Kalman fit alone
    code = main(
        [
            "fit-tracks",
            "--config",
            str(config),
            "--events-dir",
            str(sim_events),
            "--tracks",
            str(base / "candidates.csv"),
            "--out",
            str(base / "fitted.csv"),
            "--params",
            str(base / "params.csv"),
            "--timing",
            str(base / "timing.json"),
        ]
    )
    assert code == 0
    return base
