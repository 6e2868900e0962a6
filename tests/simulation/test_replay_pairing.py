"""Replaying a folder of real particles files: event id e replays event e's own file."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("acts")

from trackgnn.io.trackml import read_event
from trackgnn.simulation import simulate_events


def test_replay_pairs_each_event_with_its_own_particles_file(tmp_path):
    source = tmp_path / "particles"
    source.mkdir()
    for event_id in (5, 6):  # one pion per file, its particle id naming the file
        pd.DataFrame(
            {
                "particle_id": [(event_id << 52) | (1 << 36)],
                "vx": [0.0],
                "vy": [0.0],
                "vz": [0.0],
                "px": [1.0],
                "py": [0.5],
                "pz": [0.2],
                "q": [1],
                "nhits": [0],
            }
        ).to_csv(source / f"event{event_id:09d}-particles.csv", index=False)
    cfg = {"source": "particles", "noise": 0.0}
    simulate_events(cfg, tmp_path / "out", [6, 4], seed=1, particles=source, progress=False)
    primary = {
        e: read_event(tmp_path / "out", e, parts=("particles",)).particles["particle_id"].min() >> 52 for e in (6, 4)
    }
    assert primary[6] == 6  # by name, although 6 % 2 would pick the first file
    assert primary[4] == 5  # no file of its own: 4 % 2 -> the first sorted file
