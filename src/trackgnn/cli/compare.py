"""``trackgnn compare``: the comparison table of a run's track-building methods (issue #24)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from trackgnn.metrics.volumes import PIXEL_VOLUMES

log = logging.getLogger(__name__)

DEFAULT_METHODS = ("gnn", "gnn_kf", "ckf", "reference")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="table of every method of a run: full detector and pixel only",
        description=(
            "Efficiency, fake and duplicate rates, TrackML score, seconds per event and peak RSS of "
            "each method of a run folder (trackgnn, trackgnn + KF, ACTS CKF, truth reference), for "
            "the full detector (the run's evaluation/<method>.json) and for the pixel volumes alone "
            "(the same metrics recomputed on the test tracks and events cut to those volumes). "
            "Prints the markdown tables."
        ),
    )
    parser.add_argument("--results", required=True, help="run folder (results/<name>)")
    parser.add_argument(
        "--config", help="config whose section 'evaluation' gives the targets (default: <results>/config.resolved.json)"
    )
    parser.add_argument(
        "--methods",
        nargs="+",
        default=list(DEFAULT_METHODS),
        help=f"methods, in row order (default: {' '.join(DEFAULT_METHODS)}); each needs evaluation/<method>.json",
    )
    parser.add_argument(
        "--volumes",
        nargs="+",
        type=int,
        default=list(PIXEL_VOLUMES),
        help="volume ids of the pixel-only block (default: TrackML's pixels, 7 8 9)",
    )
    parser.add_argument("--out-json", help="write the comparison JSON here")
    parser.add_argument("--markdown", help="write the markdown tables here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.evaluation import cuts_from_config
    from trackgnn.report.comparison import compare_run
    from trackgnn.report.comparison_table import comparison_markdown
    from trackgnn.utils.atomic import atomic_write_text
    from trackgnn.utils.jsonio import write_json
    from trackgnn.utils.provenance import run_record

    results = Path(args.results)
    if not results.is_dir():
        raise FileNotFoundError(f"{results}: run folder not found; expected results/<name> of a finished run")
    config = load_config(args.config or results / "config.resolved.json")
    target, extra = cuts_from_config(config["evaluation"])
    comparison = compare_run(results, args.methods, target, extra, args.volumes)
    comparison["produced_by"] = run_record(Path(__file__).parent)
    text = comparison_markdown(comparison)
    print(text)
    if args.out_json:
        write_json(args.out_json, comparison)
    if args.markdown:
        atomic_write_text(args.markdown, text + "\n")
    return 0
