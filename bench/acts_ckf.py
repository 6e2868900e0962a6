"""Measure the ACTS seeding + CKF baseline on simulated events: physics figures and time.

    python bench/acts_ckf.py --events-dir DIR [--config CFG.yaml] [--set key=value ...] [--out JSON]

Runs ``trackgnn acts-ckf`` in-process on every event of DIR, scores the tracks with the
same evaluation as ``trackgnn score`` (pT > 1 GeV, |eta| < 4, >= 5 hits; also pT > 0.5 GeV
and >= 3 hits), and prints one JSON object (with the command, commit and machine). ``--set``
overrides ``acts_ckf`` keys (YAML values), to compare settings on the same events.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events-dir", required=True)
    parser.add_argument("--config", help="run config YAML (default: empty, all defaults)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override an acts_ckf key")
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)

    from trackgnn.baselines.run import run_acts_ckf
    from trackgnn.evaluation import evaluate_events
    from trackgnn.metrics import TargetCuts
    from trackgnn.tracks import read_tracks
    from trackgnn.utils.bench_record import emit

    config = yaml.safe_load(Path(args.config).read_text()) if args.config else {}
    block = dict(config.get("acts_ckf") or {})
    for item in args.set:
        key, _, value = item.partition("=")
        block[key] = yaml.safe_load(value)
    config["acts_ckf"] = block
    with tempfile.TemporaryDirectory(prefix="bench-ckf-") as tmp:
        cfg_path = Path(tmp) / "config.yaml"
        cfg_path.write_text(yaml.safe_dump(config))
        tracks_path = Path(tmp) / "tracks.csv"
        timing = run_acts_ckf(cfg_path, args.events_dir, tracks_path, Path(tmp) / "timing.json")
        tracks = read_tracks(tracks_path)
    result = evaluate_events(
        [(tracks, args.events_dir)],
        TargetCuts(pt_min=1.0, eta_max=4.0, min_hits=5),
        extra_targets={"pt0.5_hits3": TargetCuts(pt_min=0.5, eta_max=4.0, min_hits=3)},
    )
    summary = {
        "benchmark": "acts_ckf",
        "events_dir": str(args.events_dir),
        "acts_ckf": block,
        "target_pt1_hits5": result["target"],
        "target_pt0.5_hits3": result["extra"]["pt0.5_hits3"],
        "seconds_per_event": timing["seconds_per_event"],
        "acts_cpu_seconds_per_event": timing["acts_cpu_seconds_per_event"],
        "hits_per_event": sum(e["n_hits"] for e in timing["per_event"]) / timing["n_events"],
        "geometry_s": timing["geometry_s"],
    }
    emit(summary, __file__, args.out, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
