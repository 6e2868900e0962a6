"""``trackgnn reference-tracks``, ``evaluate`` and ``summary``: the evaluation stage."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from trackgnn.cli.common import add_config_argument

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    ref = subparsers.add_parser(
        "reference-tracks",
        help="truth-seeded reference tracks (true particles after detector effects)",
        description="Write tracks = true particles (noise hits as singletons) for every event in --events-dir.",
    )
    ref.add_argument("--events-dir", required=True, help="folder of events with truth")
    ref.add_argument("--out", required=True, help="tracks CSV (event_id,hit_id,track_id)")
    ref.set_defaults(func=reference_tracks)

    ev = subparsers.add_parser(
        "evaluate",
        help="metrics and plots of track candidates of many events",
        description=(
            "Pool the metrics of the events in the --tracks files (each paired with the --event-dirs "
            "folder at the same position) for the target selections of config section 'evaluation'; "
            "write a JSON with every figure and the efficiency/fake-rate plots. Hits an event's "
            "tracks leave out count as unassigned (like 'trackgnn score --partial'); repeated "
            "or unknown hit ids are errors."
        ),
    )
    add_config_argument(ev)
    ev.add_argument("--method", required=True, help="name of the reconstruction (e.g. gnn, reference, ckf)")
    ev.add_argument("--tracks", nargs="+", required=True, help="tracks CSVs")
    ev.add_argument("--event-dirs", nargs="+", required=True, help="event folders, one per tracks CSV")
    ev.add_argument(
        "--timing",
        nargs="*",
        default=[],
        help="timing records of the jobs that made the tracks: stage JSONs (seconds_per_event, n_events) or Snakemake benchmark TSVs",
    )
    ev.add_argument("--out", required=True, help="results JSON")
    ev.set_defaults(func=evaluate)

    summary = subparsers.add_parser(
        "summary",
        help="print the results table of a run",
        description="Print the metrics of every evaluated method of a run folder as a table.",
    )
    summary.add_argument("--results", required=True, help="run folder (results/<name>)")
    summary.add_argument("--markdown", help="also write the table to this markdown file")
    summary.add_argument("--plots", help="write efficiency vs pT/eta and fake rate vs eta PNGs into this folder")
    summary.add_argument("--display-events", help="event folder of the event display (with --display-tracks)")
    summary.add_argument("--display-tracks", help="tracks CSV of the event display (its first event is drawn)")
    summary.add_argument(
        "--graph-metrics",
        nargs="*",
        default=[],
        help="with --plots: metrics JSONs of build-graphs (test shards) whose edge "
        "efficiency vs pT, eta and inner-hit radius to plot",
    )
    summary.set_defaults(func=print_summary)


def reference_tracks(args: argparse.Namespace) -> int:
    from trackgnn.io import list_event_ids, read_event
    from trackgnn.tracks import label_frame, truth_reference_tracks, write_tracks

    frames = []
    for event_id in list_event_ids(args.events_dir):
        event = read_event(args.events_dir, event_id, parts=("hits", "truth"), require=("hits", "truth"))
        frames.append(label_frame(event_id, *truth_reference_tracks(event.truth)))
    write_tracks(args.out, frames)
    return 0


def evaluate(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.evaluation import cuts_from_config, evaluate_events
    from trackgnn.tracks import read_tracks
    from trackgnn.utils.jsonio import write_json
    from trackgnn.utils.timing import seconds_per_event

    if len(args.tracks) != len(args.event_dirs):
        raise ValueError(f"{len(args.tracks)} tracks files but {len(args.event_dirs)} event folders; expected one each")
    config = load_config(args.config)
    target, extra = cuts_from_config(config["evaluation"])
    sources = [(read_tracks(t), d, t) for t, d in zip(args.tracks, args.event_dirs)]
    # partial: the workflow's own tracks may leave hits out (the feature store's remove_noise
    # drops noise hits before the GNN): they count as unassigned, as before; repeated or
    # unknown hit ids are still refused
    # every event of the shards: a method that kept no candidate in an event scores zero there
    result = evaluate_events(sources, target, extra, partial=True, every_event=True)
    result["method"] = args.method
    n_events = result["target"]["n_events"]
    if args.timing:
        result["seconds_per_event"] = seconds_per_event(args.timing, n_events)
    write_json(args.out, result)
    t = result["target"]
    log.info(
        "%s: efficiency %.4f fake %.4f duplicate %.4f score %s",
        args.method,
        t["efficiency"],
        t["fake_rate"],
        t["duplicate_rate"],
        t.get("trackml_score"),
    )
    return 0


COLUMNS = [
    ("method", "method", "{}"),
    ("n_events", "events", "{}"),
    ("efficiency", "efficiency", "{:.4f}"),
    ("fake_rate", "fake rate", "{:.4f}"),
    ("duplicate_rate", "duplicate rate", "{:.4f}"),
    ("trackml_score", "TrackML score", "{:.4f}"),
    ("n_target_particles", "target particles", "{}"),
    ("seconds_per_event", "s/event", "{:.2f}"),
]


def summary_table(results_dir: str | Path) -> str:
    """Markdown table of ``<results>/evaluation/*.json`` (one row per method)."""
    paths = sorted(Path(results_dir, "evaluation").glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"{results_dir}/evaluation: no results JSON (has the workflow run?)")
    rows = []
    cuts = None
    for path in paths:
        result = json.loads(path.read_text())
        if not isinstance(result, dict) or "target" not in result or "method" not in result:
            continue  # not a method's evaluation (e.g. a file a user left there)
        timing = result.get("seconds_per_event") or {}
        flat = {**result["target"], "method": result["method"], "seconds_per_event": timing.get("total")}
        cuts = result["target"]["cuts"]
        rows.append([("-" if flat.get(k) is None else fmt.format(flat[k])) for k, _, fmt in COLUMNS])
    if not rows:
        raise FileNotFoundError(f"{results_dir}/evaluation: no method's results JSON (has the workflow run?)")
    head = "| " + " | ".join(h for _, h, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(r) + " |" for r in rows]
    note = (
        f"Targets: pT > {cuts['pt_min']} GeV, |eta| < {cuts['eta_max']}, >= {cuts['min_hits']} hits; "
        "double-majority matching; fake/duplicate rates over tracks with >= min_hits hits."
    )
    return "\n".join([head, rule, *body, "", note])


def print_summary(args: argparse.Namespace) -> int:
    from trackgnn.utils.atomic import atomic_write_text

    table = summary_table(args.results)
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table + "\n")
    if args.plots:
        write_plots(args.results, args.plots, args.display_events, args.display_tracks, args.graph_metrics)
    return 0


def write_plots(results_dir, out_dir, display_events=None, display_tracks=None, graph_metrics=()) -> list[Path]:
    """The report's figures from ``<results>/evaluation/*.json`` (one curve per method) and,
    with ``graph_metrics`` (build-graphs JSONs), the graph's edge efficiency per bin."""
    from trackgnn.report.plots import binned_plot, event_display, graph_efficiency_plots

    results = {p.stem: json.loads(p.read_text()) for p in sorted(Path(results_dir, "evaluation").glob("*.json"))}
    out = Path(out_dir)
    paths = [
        binned_plot(
            results,
            "efficiency_vs_pt",
            "efficiency",
            "particle pT [GeV]",
            "efficiency",
            out / "efficiency_vs_pt.png",
            log_x=True,
        ),
        binned_plot(
            results, "efficiency_vs_eta", "efficiency", "particle eta", "efficiency", out / "efficiency_vs_eta.png"
        ),
        binned_plot(results, "fake_rate_vs_eta", "fake_rate", "track eta", "fake rate", out / "fake_rate_vs_eta.png"),
    ]
    if graph_metrics:
        paths += graph_efficiency_plots(graph_metrics, out)
    if display_events and display_tracks:
        from trackgnn.io import read_event
        from trackgnn.tracks import read_tracks

        tracks = read_tracks(display_tracks)
        event_id = int(tracks["event_id"].iloc[0])
        hits = read_event(display_events, event_id, parts=("hits",)).hits
        paths.append(event_display(hits, tracks[tracks["event_id"] == event_id], out / "event_display.png"))
    return paths
