"""``trackgnn reconstruct``: a folder of raw TrackML events + trained models -> tracks."""

from __future__ import annotations

import argparse
import sys

from trackgnn.cli.common import event_id_list


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reconstruct",
        help="reconstruct a folder of raw TrackML events with trained models (tracks CSV per event)",
        description=(
            "Run the whole inference chain (feature store, graph construction, filter, GNN, track building: "
            "the workflow's own stage functions) on each event of --events with the models of --models, and "
            "write OUT/event<id>-tracks.csv (event_id,hit_id,track_id) and OUT/timing.json. Hits files are "
            "enough (cells when the models use cell features); no truth is read. Settings come from the run "
            "that trained the models (MODELS/../config.resolved.json) unless --config is given."
        ),
    )
    parser.add_argument("--models", required=True, help="models folder of a trained run (results/<run>/models)")
    parser.add_argument("--events", required=True, help="folder of TrackML event files")
    parser.add_argument("--out", required=True, help="output folder for the tracks CSVs and timing.json")
    parser.add_argument("--config", help="run config (default: the config.resolved.json beside --models)")
    parser.add_argument("--event-ids", type=event_id_list, help="only these events, e.g. '2,3,5-6'")
    parser.add_argument("--device", default="cpu", help="torch device of the filter and GNN (cpu, cuda)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trackgnn.reconstruct import reconstruct

    record = reconstruct(
        args.models,
        args.events,
        args.out,
        args.config,
        args.event_ids,
        args.device,
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    print(f"{record['n_events']} event(s) -> {args.out}: {record['seconds_per_event']:.2f} s per event")
    return 0
