"""``trackgnn build-tracks``: scored graphs -> ``event_id,hit_id,track_id`` CSV."""

from __future__ import annotations

import argparse
import logging
import time

from trackgnn.cli.common import add_config_argument

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build-tracks",
        help="build track candidates from scored edges (connected components or walkthrough)",
        description=(
            "Read a shard of scored graphs and write one track label per hit (TrackML submission "
            "format event_id,hit_id,track_id). Method and cuts from config section 'track_building'."
        ),
    )
    add_config_argument(parser)
    parser.add_argument("--input", required=True, help="scored graph shard (HDF5)")
    parser.add_argument("--out", required=True, help="tracks CSV")
    parser.add_argument("--score-field", default=None, help="edge score array (default track_building.score_field)")
    parser.add_argument("--timing", help="write a timing record (seconds per event) to this JSON")
    parser.set_defaults(func=build_tracks)


def build_tracks(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.data import read_store
    from trackgnn.track_building import build_tracks_for_event
    from trackgnn.tracks import label_frame, write_tracks
    from trackgnn.utils.jsonio import write_json

    section = load_config(args.config)["track_building"]
    field = args.score_field or section["score_field"]
    _, events = read_store(args.input)
    frames, seconds = [], []
    for event_id, arrays in events.items():
        start = time.perf_counter()
        labels = build_tracks_for_event(arrays, section, field, f"{args.input} event {event_id}")
        frames.append(label_frame(event_id, arrays["hit_id"], labels))
        seconds.append(time.perf_counter() - start)
        log.info("event %d: %d hits -> %d labels in %.3f s", event_id, len(labels), len(set(labels.tolist())), seconds[-1])
    write_tracks(args.out, frames)
    if args.timing:
        write_json(args.timing, {"stage": "build_tracks", "n_events": len(seconds),
                                 "seconds_per_event": sum(seconds) / max(len(seconds), 1)})
    return 0
