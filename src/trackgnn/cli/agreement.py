"""``trackgnn agreement``: how far two track sets agree on the same events, without truth."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "agreement",
        help="fraction of a reference's tracks (e.g. the ACTS CKF) that another method's tracks cover, and back",
        description=(
            "Truth-free comparison of two tracks CSVs of the same events (event_id,hit_id,track_id): a "
            "reference track of >= --min-hits hits is matched when one track holds more than --fraction of "
            "its hits; the same the other way round. Prints one JSON object."
        ),
    )
    parser.add_argument("--tracks", required=True, nargs="+", help="tracks CSV(s) of the method under test")
    parser.add_argument("--reference", required=True, nargs="+", help="tracks CSV(s) of the reference method")
    parser.add_argument("--min-hits", type=int, default=7, help="shortest track counted (default 7)")
    parser.add_argument("--fraction", type=float, default=0.5, help="shared-hit fraction for a match (default 0.5)")
    parser.add_argument("--out", help="also write the JSON here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from trackgnn.metrics.agreement import agreement
    from trackgnn.tracks import read_tracks
    from trackgnn.utils.jsonio import dumps, write_json

    if not 0 <= args.fraction < 1:
        raise ValueError(f"--fraction {args.fraction}: expected a number in [0, 1)")
    tracks = pd.concat([read_tracks(p) for p in args.tracks], ignore_index=True)
    reference = pd.concat([read_tracks(p) for p in args.reference], ignore_index=True)
    for name, frame, paths in (("--tracks", tracks, args.tracks), ("--reference", reference, args.reference)):
        if "event_id" not in frame.columns:
            raise ValueError(f"{name} {paths[0]}: no event_id column; expected event_id,hit_id,track_id")
    result = agreement(tracks, reference, args.min_hits, args.fraction)
    print(dumps(result))
    if args.out:
        write_json(args.out, result)
    return 0
