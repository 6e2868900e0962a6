"""``trackgnn feature-store``: TrackML events -> one feature-store shard (HDF5)."""

from __future__ import annotations

import argparse
import time

from trackgnn.cli.common import add_config_argument, event_id_list


def run(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.feature_store import build_feature_store
    from trackgnn.utils.jsonio import write_json

    events = sorted(set(args.events))
    if not events:
        raise ValueError("--events: no event ids given")
    start = time.perf_counter()
    build_feature_store(args.input, events, args.out, load_config(args.config))
    if args.timing:
        write_json(
            args.timing,
            {
                "stage": "feature_store",
                "n_events": len(events),
                "seconds_per_event": (time.perf_counter() - start) / len(events),
                "note": "CSV reading + features + truth graph + HDF5 writing",
            },
        )
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "feature-store",
        help="build a feature-store shard (node features, hit truth, truth graph) from TrackML events",
        description="Select and normalise node features, attach hit truth and build the truth graph "
        "(config section feature_store, targets from feature_store.target); one HDF5 group per event.",
    )
    add_config_argument(p)
    p.add_argument("--input", required=True, help="folder of TrackML event files")
    p.add_argument("--events", required=True, type=event_id_list, help="event ids, e.g. 0,1,2 or 0-9")
    p.add_argument("--out", required=True, help="output HDF5 shard")
    p.add_argument("--timing", help="write a timing record (seconds per event) to this JSON")
    p.set_defaults(func=run)
