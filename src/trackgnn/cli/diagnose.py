"""``trackgnn diagnose``: truth-free comparison of events (e.g. simulated) with a reference (e.g. real)."""

from __future__ import annotations

import argparse
import logging

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "diagnose",
        help="compare hit density and cells of events with a reference sample, without truth",
        description=(
            "Read the hits (and cells, when every event has them) of the events in --events and in "
            "--reference and write a JSON report: hits per event per volume, per layer and in r/z bins "
            "along each layer (z for barrel layers, r for disks), cell statistics per volume and layer "
            "(cells per hit, summed value per hit, extent along ch0 and ch1), and every ratio as "
            "reference / events (real / simulated when the reference is real data). Truth is never read."
        ),
    )
    parser.add_argument(
        "--events", required=True, nargs="+", help="folder(s) of TrackML events under study (e.g. simulated)"
    )
    parser.add_argument("--reference", required=True, help="folder of reference TrackML events (e.g. real data)")
    parser.add_argument("--out", required=True, help="report JSON to write")
    parser.add_argument("--plots", help="folder for PNG figures (layer ratios, r/z profiles, cell ratios)")
    parser.add_argument(
        "--same-events",
        action="store_true",
        help="use only the event ids present in both samples (e.g. replayed real events)",
    )
    parser.add_argument("--bins", type=int, default=10, help="r/z bins per layer (default 10)")
    parser.set_defaults(func=diagnose)


def diagnose(args: argparse.Namespace) -> int:
    from trackgnn.diagnostics.density import load_sample
    from trackgnn.diagnostics.report import build_report
    from trackgnn.io.trackml import list_event_ids
    from trackgnn.utils.jsonio import write_json

    if args.bins < 1:
        raise ValueError(f"--bins: got {args.bins}; expected a positive number of bins per layer")
    ids = None
    if args.same_events:
        ours = set().union(*(list_event_ids(d) for d in args.events))
        ids = sorted(ours & set(list_event_ids(args.reference)))
        if not ids:
            raise ValueError(
                f"--same-events: no event id is in both --events {args.events} and --reference {args.reference}"
            )
    events = load_sample("events", args.events, ids)
    reference = load_sample("reference", [args.reference], ids)
    report = build_report(events, reference, bins=args.bins)
    write_json(args.out, report)
    log.info(
        "diagnostics of %d events against %d reference events written to %s",
        events.n_events,
        reference.n_events,
        args.out,
    )
    if args.plots:
        from trackgnn.diagnostics.plots import write_plots

        paths = write_plots(report, args.plots)
        log.info("%d figures written to %s", len(paths), args.plots)
    return 0
