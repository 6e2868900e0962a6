"""``trackgnn build-tracks``: scored graphs -> ``event_id,hit_id,track_id`` CSV."""

from __future__ import annotations

import argparse

from trackgnn.cli.common import add_config_argument


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
    from trackgnn.track_building.stage import build_tracks_shard

    build_tracks_shard(load_config(args.config), args.input, args.out, args.score_field, args.timing)
    return 0
