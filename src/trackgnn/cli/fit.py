"""``trackgnn fit-tracks``: Kalman-fit GNN track candidates with ACTS."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fit-tracks",
        help="fit track candidates (event_id,hit_id,track_id CSV) with the ACTS Kalman filter",
        description=(
            "For every event in --events-dir, turn each candidate of --tracks (hits sharing a "
            "track_id; singletons and negative ids are unassigned hits) into an ACTS proto track, "
            "estimate starting parameters from three of its space points, fit it with the Kalman "
            "filter (outliers leave the track), optionally extend it with the CKF, resolve shared "
            "hits (greedy ambiguity resolution) and drop tracks by chi2/ndf, holes and hit count "
            "(config section 'fitting'; field from simulation.bfield_t). Writes the kept tracks "
            "(only the hits the fit used) as event_id,hit_id,track_id, one row of fitted perigee "
            "parameters per kept track (--params) and the per-reason drop counts with the timing "
            "(--timing). No truth is read."
        ),
    )
    parser.add_argument("--config", required=True, help="run config YAML (fitting and simulation blocks)")
    parser.add_argument("--events-dir", required=True, help="folder with event*-hits.csv[.gz]")
    parser.add_argument("--tracks", required=True, help="candidates CSV event_id,hit_id,track_id")
    parser.add_argument("--out", required=True, help="fitted tracks CSV to write (atomically)")
    parser.add_argument(
        "--params",
        help="CSV of fitted parameters per kept track: event_id, track_id, "
        "candidate_id, pt [GeV], eta, phi, d0 [mm], z0 [mm], q, chi2, ndf, "
        "n_hits, n_holes, n_outliers",
    )
    parser.add_argument("--timing", help="JSON with seconds per event and candidates dropped per reason")
    parser.add_argument(
        "--detectors",
        help="the events' detectors.csv[.gz] (default: found in --events-dir "
        "or its parent; none: ACTS numbering assumed)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import logging

    from trackgnn.fitting.run import run_fit_tracks

    summary = run_fit_tracks(
        args.config, args.events_dir, args.tracks, args.out, args.params, args.timing, args.detectors
    )
    logging.getLogger(__name__).info(
        "fit-tracks: %d events, %d of %d candidates kept, %.2f s per event, tracks in %s",
        summary["n_events"],
        summary["n_kept"],
        summary["n_candidates"],
        summary["seconds_per_event"],
        args.out,
    )
    return 0
