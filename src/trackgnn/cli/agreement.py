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
            "its hits; the same the other way round. With --pt-min, only tracks whose circle-fit pT (from "
            "the hits in --events) reaches it are counted, both ways. Prints one JSON object."
        ),
    )
    parser.add_argument("--tracks", required=True, nargs="+", help="tracks CSV(s) of the method under test")
    parser.add_argument("--reference", required=True, nargs="+", help="tracks CSV(s) of the reference method")
    parser.add_argument("--min-hits", type=int, default=7, help="shortest track counted (default 7)")
    parser.add_argument("--fraction", type=float, default=0.5, help="shared-hit fraction for a match (default 0.5)")
    parser.add_argument(
        "--pt-min", type=float, default=0.0, help="GeV: count only tracks of at least this pT estimate (default 0: all)"
    )
    parser.add_argument("--events", nargs="+", help="TrackML event folder(s) holding the tracks' hits (for --pt-min)")
    parser.add_argument("--bfield-t", type=float, default=2.0, help="solenoid field in tesla for --pt-min (default 2)")
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
    hits = None
    if args.pt_min > 0:
        if not args.events:
            raise ValueError("--pt-min needs --events: the folders of the tracks' events, to estimate each track's pT")
        hits = _read_hits(args.events, set(tracks["event_id"]) | set(reference["event_id"]))
    result = agreement(tracks, reference, args.min_hits, args.fraction, hits, args.pt_min, args.bfield_t)
    print(dumps(result))
    if args.out:
        write_json(args.out, result)
    return 0


def _read_hits(folders: list[str], event_ids: set):
    """``event_id, hit_id, x, y`` of the given events, wherever among ``folders`` they lie."""
    import pandas as pd

    from trackgnn.io import TrackMLFormatError
    from trackgnn.io.trackml import list_event_ids, read_event

    frames, found = [], set()
    for folder in folders:
        for event_id in list_event_ids(folder):
            if event_id in event_ids and event_id not in found:
                hits = read_event(folder, event_id, parts=("hits",)).hits[["hit_id", "x", "y"]]
                frames.append(hits.assign(event_id=event_id))
                found.add(event_id)
    missing = sorted(int(e) for e in event_ids - found)
    if missing:
        raise TrackMLFormatError(folders[0], f"no hits file of event(s) {missing} in --events {folders}")
    return pd.concat(frames, ignore_index=True)
