"""Benchmark: track building per event, with and without the helix refinement, as JSON.

Scores come from the graph's truth labels with noise (true edges ~ N(0.9, 0.1), false edges
~ Beta(0.3, 6)), so the timing does not depend on a trained GNN: any graph shard with a ``y``
edge label works, e.g. the filtered graphs of the mu = 200 preset.

Example::

    python bench/track_building.py --input results/trackml_mu200_cpu/filtered/test-000.h5 \
        --out results/bench/track_building.json

Prints one JSON object (with the command, commit and machine), also written to ``--out``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="graph shard (HDF5) with edge labels 'y'")
    parser.add_argument("--events", type=int, default=2)
    parser.add_argument("--config", default=None, help="run config (default: the schema defaults)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)

    from trackgnn.config import load_config, validate_config
    from trackgnn.data import read_store
    from trackgnn.track_building import build_tracks_for_event
    from trackgnn.utils.bench_record import emit

    config = load_config(args.config) if args.config else validate_config({})
    section = dict(config["track_building"])
    rng = np.random.default_rng(args.seed)
    rows = []
    _, events = read_store(args.input)
    for event_id, arrays in list(events.items())[: args.events]:
        y = np.asarray(arrays["y"], dtype=bool)
        scores = np.where(y, rng.normal(0.9, 0.1, len(y)), rng.beta(0.3, 6.0, len(y)))
        arrays = {**arrays, "gnn_score": np.clip(scores, 0.0, 1.0)}
        row = {"event_id": int(event_id), "n_hits": int(len(arrays["hit_id"])), "n_edges": int(len(y))}
        for name, merge in (("walk_only", {"enabled": False}), ("with_refinement", section["merge"])):
            start = time.perf_counter()
            labels = build_tracks_for_event(arrays, {**section, "merge": merge}, "gnn_score")
            row[f"{name}_s"] = round(time.perf_counter() - start, 3)
            row[f"{name}_tracks"] = int(np.sum(np.bincount(np.unique(labels, return_inverse=True)[1]) >= 5))
        rows.append(row)
    emit({"benchmark": "track_building", "input": args.input, "events": rows}, __file__, args.out, argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
