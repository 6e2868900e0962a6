"""A run folder small enough to work out its comparison on paper.

One test shard (``test-000``) holding event 1; every particle has pT = 2 GeV, eta = 0.
Pixel hits are in volume 8, strip hits in volume 13.

* particle 1: pixel hits 1-5, strip hits 6-10 (a target in both blocks: 10 and 5 hits);
* particle 2: strip hits 11-16 only (a target of the full detector, none in the pixels);
* particle 3: pixel hits 17-22;
* noise: pixel hits 23, 24 and strip hits 25, 26.

Methods (``tracks/<method>/test-000.csv``):

* ``reference``: the true particles (perfect in both blocks);
* ``gnn``: particles 1 and 3 whole, and a fake of strip hits only (11, 12, 13 of particle 2
  with noise 25, 26), the rest singletons: the fake is gone from the pixel block;
* ``gnn_kf``: particles 1 and 3 whole, every other hit left out (unassigned);
* ``ckf``: particle 1 split into its pixel part and its strip part, particles 2 and 3
  whole: neither part holds more than half of particle 1's hits (two fakes), but the pixel
  part is all its pixel hits (matched in the pixel block).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.cli import main
from trackgnn.config import validate_config
from trackgnn.io import write_event
from trackgnn.metrics import truth_weights
from trackgnn.tracks import label_frame, truth_reference_tracks, write_tracks
from trackgnn.utils.jsonio import dumps, write_json

PIXEL, STRIP = 8, 13
P1_PIXEL, P1_STRIP = list(range(1, 6)), list(range(6, 11))
P2 = list(range(11, 17))
P3 = list(range(17, 23))
NOISE_PIXEL, NOISE_STRIP = [23, 24], [25, 26]
SHARD = "test-000"
EVENT = 1
#: seconds per event of each stage's timing record, and max_rss (MB) of each rule's job
STAGE_SECONDS = {"gnn": 0.5, "build_tracks": 0.25, "fit-tracks": 1.0, "acts-ckf": 2.0}
MAX_RSS = {
    "feature_store": 120.0,
    "build_graphs": 300.5,
    "filter_graphs": 250.0,
    "score_edges": 200.0,
    "build_tracks": 100.0,
    "fit_tracks": 400.0,
    "acts_ckf": 150.0,
}


def event_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """hits, particles and truth of event 1."""
    groups = [
        (1, P1_PIXEL + P1_STRIP, [PIXEL] * 5 + [STRIP] * 5),
        (2, P2, [STRIP] * 6),
        (3, P3, [PIXEL] * 6),
        (0, NOISE_PIXEL + NOISE_STRIP, [PIXEL, PIXEL, STRIP, STRIP]),
    ]
    rows = []
    for pid, ids, volumes in groups:
        for k, (hit, volume) in enumerate(zip(ids, volumes)):
            # hits of a particle at increasing radius, each particle along its own direction
            rows.append((hit, pid, volume, 30.0 * (k + 1) * np.cos(pid), 30.0 * (k + 1) * np.sin(pid)))
    frame = pd.DataFrame(rows, columns=["hit_id", "particle_id", "volume_id", "x", "y"])
    hits = frame[["hit_id", "x", "y"]].assign(z=0.0, volume_id=frame["volume_id"], layer_id=2, module_id=1)
    particles = pd.DataFrame(
        {
            "particle_id": [1, 2, 3],
            **{c: 0.0 for c in ("vx", "vy", "vz", "pz")},
            "px": 2.0 * np.cos([1, 2, 3]),
            "py": 2.0 * np.sin([1, 2, 3]),
            "q": 1,
            "nhits": [10, 6, 6],
        }
    )
    truth = frame[["hit_id", "particle_id"]].assign(tx=frame["x"], ty=frame["y"], tz=0.0, tpx=0.0, tpy=0.0, tpz=0.0)
    truth["weight"] = truth_weights(truth, particles)
    return hits, particles, truth


def method_tracks(truth: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``event_id, hit_id, track_id`` of each method (see the module docstring)."""

    def tracks(groups: list[list[int]], singletons: bool = True) -> pd.DataFrame:
        label = {hit: k for k, group in enumerate(groups) for hit in group}
        if singletons:
            for hit in truth["hit_id"]:
                label.setdefault(int(hit), len(groups) + int(hit))
        return label_frame(EVENT, np.array(list(label)), np.array(list(label.values())))

    return {
        "reference": label_frame(EVENT, *truth_reference_tracks(truth)),
        "gnn": tracks([P1_PIXEL + P1_STRIP, P3, P2[:3] + NOISE_STRIP]),
        "gnn_kf": tracks([P1_PIXEL + P1_STRIP, P3], singletons=False),
        "ckf": tracks([P1_PIXEL, P1_STRIP, P2, P3]),
    }


def timing_records(run: Path, method: str) -> list[Path]:
    """Stage timing JSONs of a method's chain (1 event each)."""
    stages = {"gnn": ["gnn", "build_tracks"], "gnn_kf": ["gnn", "build_tracks", "fit-tracks"], "ckf": ["acts-ckf"]}
    paths = []
    for stage in stages.get(method, []):
        path = run / "timing" / f"{stage}.json"
        write_json(path, {"stage": stage, "n_events": 1, "seconds_per_event": STAGE_SECONDS[stage]})
        paths.append(path)
    return paths


def small_run(root: Path, methods=("gnn", "gnn_kf", "ckf", "reference")) -> Path:
    """The run folder, evaluated by ``trackgnn evaluate`` as the workflow does."""
    run = root / "run"
    hits, particles, truth = event_tables()
    write_event(run / "events" / SHARD, EVENT, hits=hits, particles=particles, truth=truth)
    config = run / "config.resolved.json"
    config.write_text(dumps(validate_config({})) + "\n")
    for rule, rss in MAX_RSS.items():
        path = run / "benchmarks" / rule / f"{SHARD}.tsv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"s\tmax_rss\tmean_load\n1.5\t{rss}\t90.0\n")
    all_tracks = method_tracks(truth)
    for method in methods:
        tracks = run / "tracks" / method / f"{SHARD}.csv"
        tracks.parent.mkdir(parents=True)
        write_tracks(tracks, [all_tracks[method]])
        timing = [str(p) for p in timing_records(run, method)]
        argv = ["evaluate", "--config", str(config), "--method", method, "--tracks", str(tracks)]
        argv += ["--event-dirs", str(run / "events" / SHARD), "--timing", *timing]
        assert main([*argv, "--out", str(run / "evaluation" / f"{method}.json")]) == 0
    return run
