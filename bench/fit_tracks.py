"""Measure ``trackgnn fit-tracks`` on truth-built candidates with GNN-like errors.

    python bench/fit_tracks.py --events-dir DIR [--config CFG.yaml] [--swap 0.1] [--set key=value ...]
                               [--out JSON]

Candidates = true particles with a fraction ``--swap`` of their hits relabelled by swaps
with the nearest hit of another particle on the same layer (:mod:`trackgnn.fitting.mock`).
Scores the candidates before and the fitted tracks after the fit with the evaluation of
``trackgnn score --partial`` (pT > 1 GeV, |eta| < 4, >= 5 hits; also pT > 0.5 GeV, >= 3
hits), and prints one JSON object with both, the fit's seconds per event and the command,
commit and machine. ``--set`` overrides ``fitting`` keys (YAML values).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd
import yaml


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events-dir", required=True)
    parser.add_argument("--config", help="run config YAML (default: empty, all defaults)")
    parser.add_argument("--swap", type=float, default=0.1, help="share of particle hits relabelled")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a fitting key")
    parser.add_argument("--keep", help="folder to keep the candidates, fitted tracks and parameters in")
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)

    from trackgnn.evaluation import evaluate_events
    from trackgnn.fitting.mock import swap_neighbour_hits, truth_candidates
    from trackgnn.fitting.run import run_fit_tracks
    from trackgnn.io import list_event_ids, read_event
    from trackgnn.metrics import TargetCuts
    from trackgnn.tracks import read_tracks
    from trackgnn.utils.bench_record import emit

    config = yaml.safe_load(Path(args.config).read_text()) if args.config else {}
    block = dict(config.get("fitting") or {})
    for item in args.set:
        key, _, value = item.partition("=")
        block[key] = yaml.safe_load(value)
    config["fitting"] = block
    frames, n_swapped, n_hits = [], 0, 0
    for event_id in list_event_ids(args.events_dir):
        event = read_event(args.events_dir, event_id, parts=("hits", "truth"), require=("hits", "truth"))
        cands, n = swap_neighbour_hits(event.hits, truth_candidates(event.truth), args.swap, args.seed + event_id)
        frames.append(cands.assign(event_id=event_id)[["event_id", "hit_id", "track_id"]])
        n_swapped += n
        n_hits += len(cands)
    target = TargetCuts(pt_min=1.0, eta_max=4.0, min_hits=5)
    extra = {"pt0.5_hits3": TargetCuts(pt_min=0.5, eta_max=4.0, min_hits=3)}
    with tempfile.TemporaryDirectory(prefix="bench-fit-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cfg_path = folder / "config.yaml"
        cfg_path.write_text(yaml.safe_dump(config))
        candidates = pd.concat(frames, ignore_index=True)
        candidates.to_csv(folder / "candidates.csv", index=False)
        timing = run_fit_tracks(
            cfg_path,
            args.events_dir,
            folder / "candidates.csv",
            folder / "fitted.csv",
            folder / "params.csv",
            folder / "timing.json",
        )
        fitted = read_tracks(folder / "fitted.csv")
    before = evaluate_events([(candidates, args.events_dir)], target, extra_targets=extra, partial=True)
    after = evaluate_events([(fitted, args.events_dir)], target, extra_targets=extra, partial=True)
    summary = {
        "benchmark": "fit_tracks",
        "events_dir": str(args.events_dir),
        "n_events": timing["n_events"],
        "swap_fraction": args.swap,
        "hits_relabelled": n_swapped,
        "hits_per_event": n_hits / max(timing["n_events"], 1),
        "fitting": block,
        "before": {"pt1_hits5": before["target"], "pt0.5_hits3": before["extra"]["pt0.5_hits3"]},
        "after": {"pt1_hits5": after["target"], "pt0.5_hits3": after["extra"]["pt0.5_hits3"]},
        "fit_seconds_per_event": timing["seconds_per_event"],
        "acts_cpu_seconds_per_event": timing["acts_cpu_seconds_per_event"],
        "n_candidates": timing["n_candidates"],
        "n_kept": timing["n_kept"],
        "dropped": timing["dropped"],
    }
    emit(summary, __file__, args.out, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
