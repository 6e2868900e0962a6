"""``trackgnn run-figures`` and ``trackgnn sim-to-real``: truth-free figures of a run's test
events, and real vs simulated events through the same models with the #25 targets."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    fig = subparsers.add_parser(
        "run-figures",
        help="truth-free figures of a run's test events (edges per hit, scores, tracks, agreement)",
        description=(
            "Read the graphs, GNN-scored graphs and tracks of a run's test shards and write one JSON: edges "
            "per hit of the graph (overall and per volume), filter and GNN score histograms, edges kept at "
            "the GNN cut, tracks per event and their length (GNN and, if given, CKF), the GNN-vs-CKF "
            "agreement. Truth is never read."
        ),
    )
    fig.add_argument("--graphs", required=True, nargs="+", help="graph shards (.h5; the stage record .json beside)")
    fig.add_argument("--scored", required=True, nargs="+", help="GNN-scored shards (.h5)")
    fig.add_argument("--tracks", required=True, nargs="+", help="GNN tracks CSV(s)")
    fig.add_argument("--ckf", nargs="*", default=[], help="CKF tracks CSV(s)")
    fig.add_argument("--agreement", help="agreement JSON (trackgnn agreement)")
    fig.add_argument("--events", nargs="*", default=[], help="event folders, recorded for the hit-density comparison")
    fig.add_argument("--bins", type=int, default=20, help="score histogram bins on [0, 1] (default 20)")
    fig.add_argument("--min-hits", type=int, default=7, help="long tracks: at least this many hits (default 7)")
    fig.add_argument("--out", required=True, help="JSON to write")
    fig.set_defaults(func=run_figures)

    cmp = subparsers.add_parser(
        "sim-to-real",
        help="compare the figures of a run on real files with those of a simulated run (same models)",
        description=(
            "Read two run-figures JSONs (real and simulated events through the same models) and write one "
            "JSON: both sides, hits per event per volume and layer (real / simulated, from the runs' event "
            "folders) and the #25 targets with pass/fail: edges per hit within 10%, GNN-vs-CKF agreement "
            "within 2 points."
        ),
    )
    cmp.add_argument("--real", required=True, help="run-figures JSON of the run on real files")
    cmp.add_argument("--simulated", required=True, help="run-figures JSON of the run on simulated events")
    cmp.add_argument("--bins", type=int, default=10, help="r/z bins per layer of the hit profiles (default 10)")
    cmp.add_argument("--out", required=True, help="JSON to write")
    cmp.set_defaults(func=sim_to_real)


def _positive(name: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{name}: got {value}; expected a positive integer")


def run_figures(args: argparse.Namespace) -> int:
    from trackgnn.diagnostics.run_figures import collect
    from trackgnn.utils.jsonio import write_json

    _positive("--bins", args.bins)
    _positive("--min-hits", args.min_hits)
    figures = collect(
        args.graphs, args.scored, args.tracks, args.ckf, args.agreement, args.events, args.bins, args.min_hits
    )
    write_json(args.out, figures)
    log.info("figures of %d events written to %s", figures["n_events"], args.out)
    return 0


def _read_figures(path: str, flag: str) -> dict:
    try:
        figures = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ValueError(f"{flag} {path}: file not found; expected a trackgnn run-figures JSON") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{flag} {path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(figures, dict) or "graph" not in figures or "events" not in figures:
        raise ValueError(f"{flag} {path}: no 'graph' or 'events' key; expected a trackgnn run-figures JSON")
    return figures


def sim_to_real(args: argparse.Namespace) -> int:
    from trackgnn.diagnostics.sim_to_real import compare
    from trackgnn.utils.jsonio import write_json

    _positive("--bins", args.bins)
    result = compare(_read_figures(args.real, "--real"), _read_figures(args.simulated, "--simulated"), args.bins)
    write_json(args.out, result)
    for row in result["targets"]:
        log.info("%s: real %s, simulated %s, passed %s", row["target"], row["real"], row["simulated"], row["passed"])
    return 0
