"""``trackgnn acts-ckf``: the classical ACTS baseline (seeding + CKF) on TrackML events."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "acts-ckf",
        help="reconstruct tracks with ACTS seeding + combinatorial Kalman filter (the classical baseline)",
        description=(
            "Run ACTS grid-triplet seeding (pixel volumes), track-parameter estimation, the "
            "combinatorial Kalman filter and greedy ambiguity resolution on the hits of every "
            "event in --events-dir (no truth is read), and write one track label per hit "
            "(event_id,hit_id,track_id; a hit on several tracks goes to the longest, hits on no "
            "track become singletons). Settings come from the 'acts_ckf' block of --config, the "
            "field from simulation.bfield_t. Events from 'trackgnn simulate' use the ACTS "
            "GenericDetector module numbering; official TrackML files number endcap modules "
            "differently and are translated when their detectors.csv (--detectors, or found in "
            "--events-dir or its parent) says so (mapping by module position, cached)."
        ),
    )
    parser.add_argument("--config", required=True, help="run config YAML (acts_ckf and simulation blocks)")
    parser.add_argument("--events-dir", required=True, help="folder with event*-hits.csv[.gz]")
    parser.add_argument("--out", required=True, help="tracks CSV to write (atomically)")
    parser.add_argument("--timing", help="JSON with seconds per event (reconstruction only)")
    parser.add_argument("--event-id", type=int, action="append", help="event(s) to run (default: all)")
    parser.add_argument(
        "--detectors",
        help="the events' detectors.csv[.gz] (default: found in --events-dir "
        "or its parent; none: ACTS numbering assumed)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import logging

    from trackgnn.baselines.run import run_acts_ckf

    timing = run_acts_ckf(args.config, args.events_dir, args.out, args.timing, args.event_id, args.detectors)
    logging.getLogger(__name__).info(
        "acts-ckf: %d events, %.2f s per event (reconstruction), tracks in %s",
        timing["n_events"],
        timing["seconds_per_event"],
        args.out,
    )
    return 0
