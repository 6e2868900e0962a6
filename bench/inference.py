"""Benchmark: the whole inference chain, TrackML CSV -> tracks, on full-size real events.

Runs every stage of the GNN chain (feature store with CSV reading, embedding + radius graph,
filter, GNN, track building) on each event of ``<repo>/../shared/data/trackml/test/``
(~100k hits, no truth: nothing on this path reads truth) with the models of a trained run,
and prints one JSON object: seconds per event for each stage and in total, and each stage's
peak RSS. Each stage runs in a fresh process so its peak memory is its own; times exclude
interpreter start-up and imports (a long-running service would not pay them per event).

    python bench/inference.py [--models results/default/models] [--events 4] [--device cpu|cuda]
        [--out results/bench/inference.json]

The JSON also records the command, commit and machine (``--out`` writes it to a file too).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "trackml" / "test"
STAGES = ("feature_store", "build_graphs", "filter_graphs", "score_edges", "build_tracks")


def _stage(
    name: str, config_path: str, models: str, work: str, event_id: int, data: str, device: str, threads: int, queue
) -> None:
    """Run one stage in this (fresh) process and report (seconds, peak RSS in MB)."""
    import torch

    torch.set_num_threads(threads)
    from trackgnn.utils.memory import keep_freed_memory

    keep_freed_memory()  # as the trackgnn command does
    from trackgnn.config import load_config

    config = load_config(config_path)
    work_dir = Path(work)
    paths = {s: work_dir / f"{s}-{event_id}.h5" for s in STAGES}
    if name == "feature_store":
        from trackgnn.feature_store import build_feature_store

        call = lambda: build_feature_store(data, [event_id], paths[name], config)  # noqa: E731
    elif name == "build_graphs":
        from trackgnn.graph_construction.build import build_graphs

        call = lambda: build_graphs(config, Path(models) / "embedding", paths["feature_store"], paths[name])  # noqa: E731
    elif name == "filter_graphs":
        from trackgnn.filtering.run import filter_graphs

        call = lambda: filter_graphs(config, Path(models) / "filter", paths["build_graphs"], paths[name], device=device)  # noqa: E731
    elif name == "score_edges":
        from trackgnn.gnn.run import score_edges

        call = lambda: score_edges(config, Path(models) / "gnn", paths["filter_graphs"], paths[name], device=device)  # noqa: E731
    else:
        from trackgnn.data import read_store
        from trackgnn.track_building import build_tracks_for_event
        from trackgnn.tracks import label_frame, write_tracks

        def call():
            _, events = read_store(paths["score_edges"])
            arrays = events[event_id]
            labels = build_tracks_for_event(arrays, config["track_building"], config["track_building"]["score_field"])
            write_tracks(work_dir / f"tracks-{event_id}.csv", [label_frame(event_id, arrays["hit_id"], labels)])

    # the stage functions import lazily (torch_geometric alone takes seconds): import before timing
    import scipy.spatial  # noqa: F401  (~0.7 s: the k-d tree of graph building)

    import trackgnn.edge_classifier.apply  # noqa: F401  (imports torch_geometric)
    import trackgnn.filtering.models  # noqa: F401
    import trackgnn.gnn.models  # noqa: F401

    start = time.perf_counter()
    call()
    seconds = time.perf_counter() - start
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def run_stage(ctx, *args) -> tuple[float, float]:
    queue = ctx.Queue()
    proc = ctx.Process(target=_stage, args=(*args, queue))
    proc.start()
    proc.join()
    if proc.exitcode != 0:
        raise RuntimeError(f"stage {args[0]} failed (exit {proc.exitcode})")
    return queue.get()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models", default=str(REPO / "results" / "default" / "models"), help="models folder of a trained run"
    )
    parser.add_argument(
        "--config", default=None, help="run config (default: the defaults); stage settings at inference"
    )
    parser.add_argument("--data", default=str(DATA), help="folder of raw TrackML events")
    parser.add_argument("--events", type=int, default=4)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)

    from trackgnn.config import validate_config
    from trackgnn.io import list_event_ids
    from trackgnn.utils.bench_record import emit
    from trackgnn.utils.jsonio import write_json

    if not Path(args.data).is_dir():
        print(json.dumps({"skipped": f"no data at {args.data}"}))
        return 0
    for stage in ("embedding", "filter", "gnn"):
        if not (Path(args.models) / stage).is_dir():
            raise SystemExit(f"{args.models}/{stage}: no trained model (run the default workflow first)")
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as work:
        config_path = args.config
        if config_path is None:
            config_path = str(Path(work) / "config.json")
            write_json(config_path, validate_config({}))
        per_event = []
        for event_id in list_event_ids(args.data)[: args.events]:
            row = {"event_id": event_id}
            for stage in STAGES:
                seconds, rss = run_stage(
                    ctx, stage, config_path, args.models, work, event_id, args.data, args.device, args.threads
                )
                row[stage] = {"seconds": seconds, "peak_rss_mb": rss}
            per_event.append(row)
    n = len(per_event)
    stages = {
        s: {
            "seconds_per_event": sum(r[s]["seconds"] for r in per_event) / n,
            "peak_rss_mb": max(r[s]["peak_rss_mb"] for r in per_event),
        }
        for s in STAGES
    }
    result = {
        "benchmark": "inference",
        "data": args.data,
        "models": args.models,
        "n_events": n,
        "device": args.device,
        "threads": args.threads,
        "seconds_per_event": sum(v["seconds_per_event"] for v in stages.values()),
        "peak_rss_mb": max(v["peak_rss_mb"] for v in stages.values()),
        "stages": stages,
        "per_event": per_event,
    }
    emit(result, __file__, args.out, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
