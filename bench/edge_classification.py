"""Benchmark: filter + GNN inference per full-size event (time, peak RSS) as JSON.

Full-size events are synthetic toy events (``tests.edge_classifier.toy``) at mu=200-like
occupancy (~100k hits from 10k particles) with a kNN-style candidate graph (``--k``
candidates per hit, ~17 edges/hit at k=20, ~98% of target edges present), or any graph
shards given with ``--input`` (e.g. simulated or real events after graph construction).

Example::

    python bench/edge_classification.py --filter runs/filter --gnn runs/gnn --out bench.json
    python bench/edge_classification.py --filter runs/filter --gnn runs/gnn --device cuda
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TARGET_SECONDS = 1.0
TARGET_RSS_MB = 4096.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filter", required=True, help="folder written by train-filter")
    parser.add_argument("--gnn", required=True, help="folder written by train-gnn")
    parser.add_argument("--input", nargs="*", default=[], help="graph shards (default: synthetic full-size events)")
    parser.add_argument("--events", type=int, default=3, help="synthetic events to generate")
    parser.add_argument("--particles", type=int, default=10000, help="particles per synthetic event")
    parser.add_argument("--k", type=int, default=20, help="candidate edges kept per inner hit")
    parser.add_argument("--workdir", default="bench_work", help="cache of the synthetic shard")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    parser.add_argument("--out", help="also write the JSON (with the command, commit and machine) here")
    args = parser.parse_args(argv)

    from trackgnn.edge_classifier.probe import probe_in_subprocess
    from trackgnn.utils.bench_record import emit

    inputs = [Path(p) for p in args.input]
    if not inputs:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the toy generator lives in tests/
        from tests.edge_classifier.toy import write_toy_shards

        work = Path(args.workdir)
        shard = work / f"full_{args.events}x{args.particles}_k{args.k}_0.h5"
        if not shard.exists():
            paths = write_toy_shards(
                work,
                {f"full_{args.events}x{args.particles}_k{args.k}": args.events},
                seed=7,
                events_per_shard=args.events,
                n_particles=args.particles,
                graph_pt=0.5,
                z0_max=250.0,
                k=args.k,
            )
            shard = paths[next(iter(paths))][0]
        inputs = [shard]
    result = probe_in_subprocess(
        inputs, gnn_dir=args.gnn, filter_dir=args.filter, device=args.device, threads=args.threads
    )
    result.update(
        benchmark="edge_classification",
        inputs=[str(p) for p in inputs],
        edges_per_hit_in=result["edges_in"] / result["hits"],
        edges_per_hit_gnn=result["edges_gnn"] / result["hits"],
        target_seconds_per_event=TARGET_SECONDS,
        target_peak_rss_mb=TARGET_RSS_MB,
        meets_time=result["seconds_per_event"] <= TARGET_SECONDS,
        meets_memory=result["peak_rss_mb"] <= TARGET_RSS_MB,
        filter_model=json.loads((Path(args.filter) / "filter.json").read_text()),
        gnn_model=json.loads((Path(args.gnn) / "gnn.json").read_text()),
    )
    emit(result, __file__, args.out, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
