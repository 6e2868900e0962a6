"""``trackgnn score``: metrics of a tracks file against an event's truth."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score a tracks CSV against truth (TrackML score, efficiency, fake/duplicate rates)",
        description=(
            # argparse does not %-format descriptions: a single % prints as is
            "Score track candidates (CSV with event_id,hit_id,track_id or hit_id,track_id) against "
            "the truth and particles of the events in --event-dir, like the official TrackML "
            "scorer: the submission must list every hit of each scored event exactly once "
            "(--partial lets hits be missing; they count as unassigned), and the TrackML score "
            "divides the weight of the well-assigned hits by the truth file's total weight (1 for "
            "a perfect submission, also on an event cut to some of its particles). Prints one "
            "JSON object with trackml_score, efficiency, fake_rate, duplicate_rate, n_tracks and "
            "the cuts used. Efficiency uses the double-majority rule (>50% of the track's hits "
            "from the particle and >50% of the particle's hits on the track) on target particles; "
            "without a particles file an event has no target particle (a warning)."
        ),
    )
    parser.add_argument("--event-dir", required=True, help="folder with event*-{hits,particles,truth}.csv[.gz]")
    parser.add_argument("--tracks", required=True, help="tracks CSV")
    parser.add_argument(
        "--event-id", type=int, action="append", help="event(s) to score (default: all in the tracks file)"
    )
    parser.add_argument("--pt-min", type=float, default=1.0, help="target pT cut in GeV (default 1.0)")
    parser.add_argument("--eta-max", type=float, default=4.0, help="target |eta| cut (default 4.0)")
    parser.add_argument("--min-hits", type=int, default=5, help="target particle/track length cut (default 5)")
    parser.add_argument("--per-event", action="store_true", help="include the per-event figures")
    parser.add_argument(
        "--partial",
        action="store_true",
        help="accept a submission that covers only some hits of an event (missing hits "
        "count as unassigned); without it every hit must appear exactly once",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trackgnn.evaluation import evaluate_events
    from trackgnn.metrics import TargetCuts
    from trackgnn.tracks import read_tracks
    from trackgnn.utils.jsonio import dumps

    tracks = read_tracks(args.tracks)
    cuts = TargetCuts(pt_min=args.pt_min, eta_max=args.eta_max, min_hits=args.min_hits)
    if "event_id" not in tracks.columns:
        if not args.event_id or len(args.event_id) != 1:
            raise ValueError(f"{args.tracks} has no event_id column: give exactly one --event-id")
        tracks = tracks.assign(event_id=args.event_id[0])
    elif args.event_id:
        absent = sorted(set(args.event_id) - set(tracks["event_id"].unique().tolist()))
        if absent:
            raise ValueError(f"{args.tracks}: no rows of event(s) {absent}; expected a track label for every hit")
        tracks = tracks[tracks["event_id"].isin(args.event_id)]
    result = evaluate_events([(tracks, args.event_dir, args.tracks)], cuts, partial=args.partial)
    out = {**result["target"]}
    if args.per_event:
        out["per_event"] = result["per_event"]
    print(dumps(out))
    return 0
