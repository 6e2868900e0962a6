"""Benchmark: TrackML weights and tracking metrics on a full-size event (target < 1 s).

Uses the real hits and particles of ``<repo>/../shared/data/trackml/train/event000001001``
(~94k hits). That event has no truth file, so hits are assigned to particles at random in
proportion to their ``nhits`` (the rest noise) and 10% of the hits are mislabelled in the
tracks: the figures are timings, not physics. Prints one JSON object (with the command, commit
and machine), also written to ``--out``.

    python bench/metrics.py [--out results/bench/metrics.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "trackml" / "train"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)

    from trackgnn.io import read_event
    from trackgnn.metrics import tracking_metrics, truth_weights
    from trackgnn.utils.bench_record import emit

    if not DATA.is_dir():
        print(json.dumps({"skipped": f"no data at {DATA}"}))
        return 0
    event = read_event(DATA, 1001, require=("hits", "particles"))
    rng = np.random.default_rng(0)
    particles = event.particles
    pid = np.repeat(particles["particle_id"].to_numpy(), particles["nhits"].to_numpy())[: len(event.hits)]
    pid = np.r_[pid, np.zeros(len(event.hits) - len(pid), dtype=np.int64)]
    rng.shuffle(pid)
    hits = event.hits
    truth = pd.DataFrame(
        {"hit_id": hits["hit_id"], "particle_id": pid, "tx": hits["x"], "ty": hits["y"], "tz": hits["z"]}
    )
    start = time.perf_counter()
    truth["weight"] = truth_weights(truth, particles)
    weights_s = time.perf_counter() - start
    wrong = rng.random(len(pid)) < 0.1
    tracks = pd.DataFrame(
        {"hit_id": hits["hit_id"], "track_id": np.where(wrong, rng.integers(0, 10**6, len(pid)), pid)}
    )
    start = time.perf_counter()
    metrics = tracking_metrics(tracks, truth, particles)
    metrics_s = time.perf_counter() - start
    result = {
        "benchmark": "metrics",
        "n_hits": len(hits),
        "truth_weights_s": round(weights_s, 4),
        "tracking_metrics_s": round(metrics_s, 4),
        "target_s": 1.0,
        "n_tracks": metrics["n_tracks"],
    }
    emit(result, __file__, args.out, argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
