"""Write ``docs/gen/real_data.md`` (real TrackML events vs their simulated twins through the same
hits-only models) from ``<run>/diagnostics/sim_to_real.json`` of a run on real files. The
targets of issue 25 are recomputed here from the figures (``trackgnn.diagnostics.sim_to_real``),
never typed; the commands, configs and code commits are those the runs recorded. Rerun the
three workflow commands of docs/running/real_data.md, then:

    .venv/bin/python scripts/docs/real_data_page.py results/real_trackml/diagnostics/sim_to_real.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from trackgnn.cli.evaluate import summary_table  # noqa: E402
from trackgnn.config import read_run_config  # noqa: E402
from trackgnn.diagnostics.sim_to_real import targets  # noqa: E402
from trackgnn.utils.atomic import atomic_write_text  # noqa: E402

OUTPUT = ROOT / "docs" / "gen" / "real_data.md"
TITLES = {
    "edges_per_hit": "edges per hit at the run's radius",
    "ckf_tracks_matched_by_gnn": "CKF tracks ({cut}) matched by a GNN track",
    "gnn_tracks_matched_by_ckf": "GNN tracks ({cut}) matched by a CKF track",
}
NOT_GENERATED = (
    '!!! warning "Not generated yet"\n    No comparison has been written into this file yet: run the commands above.\n'
)


def _fmt(value, fmt: str = "{:.3f}") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return fmt.format(value)


def _get(figures: dict, *keys):
    for key in keys:
        figures = (figures or {}).get(key)
    return figures


def agreement_cut(figures: dict) -> str:
    """The tracks an agreement counts, from its own record (one written before the pT cut
    existed has no ``pt_min``: it counted every pT)."""
    agreement = figures.get("agreement") or {}
    pt_min = agreement.get("pt_min") or 0.0
    cut = f">= {agreement.get('min_hits', 7)} hits"
    return cut + (f", pT > {pt_min:g} GeV" if pt_min > 0 else ", any pT")


def target_table(result: dict) -> str:
    cut = agreement_cut(result["real"])
    rows = [
        "| target | real | simulated | difference (± binomial standard error) | tolerance | result |",
        "|---|---|---|---|---|---|",
    ]
    for row in targets(result["real"], result["simulated"]):
        points = row["kind"] == "points"
        diff = _fmt(row["difference"], "{:+.2f}" if points else "{:+.1%}")
        if points and row.get("uncertainty") is not None:
            diff += f" ± {row['uncertainty']:.2f}"
        diff += " points" if points and row["difference"] is not None else ""
        tolerance = f"{row['tolerance']:g} points" if points else f"{row['tolerance']:.0%}"
        verdict = {True: "**pass**", False: "**fail**", None: "-"}[row["passed"]]
        rows.append(
            f"| {TITLES[row['target']].format(cut=cut)} | {_fmt(row['real'])} | {_fmt(row['simulated'])} | {diff} | "
            f"within {tolerance} | {verdict} |"
        )
    return "\n".join(rows)


#: (title, keys into a run's figures, format)
FIGURES = (
    ("events", ("n_events",), "{}"),
    ("hits per event", ("hits_per_event",), "{:,.0f}"),
    ("graph: edges per hit", ("graph", "edges_per_hit"), "{:.2f}"),
    ("graph: hits at the kNN cap (fraction)", ("graph", "capped_hit_fraction"), "{:.3f}"),
    ("graph: in-radius neighbours beyond the cap, per hit", ("graph", "dropped_neighbours_per_hit"), "{:.1f}"),
    ("after the filter: edges per hit", ("scores", "edges_per_hit_filtered"), "{:.2f}"),
    ("kept by the GNN cut: edges per hit", ("scores", "edges_per_hit_kept"), "{:.3f}"),
    ("mean filter score (edges past the filter)", ("scores", "filter_score", "mean"), "{:.3f}"),
    ("mean GNN score", ("scores", "gnn_score", "mean"), "{:.3f}"),
    ("GNN tracks (>= 3 hits) per event", ("tracks", "gnn", "tracks_per_event"), "{:,.1f}"),
    ("GNN tracks of >= {min_hits} hits per event", ("tracks", "gnn", "long_tracks_per_event"), "{:,.1f}"),
    ("GNN hits per track (>= 3 hits)", ("tracks", "gnn", "mean_hits_per_track"), "{:.2f}"),
    ("CKF hits per track (>= 3 hits)", ("tracks", "ckf", "mean_hits_per_track"), "{:.2f}"),
    ("CKF tracks (>= 3 hits) per event", ("tracks", "ckf", "tracks_per_event"), "{:,.1f}"),
    ("CKF tracks of >= {min_hits} hits per event", ("tracks", "ckf", "long_tracks_per_event"), "{:,.1f}"),
)


def figure_table(result: dict) -> str:
    rows = ["| figure | real | simulated | real / simulated |", "|---|---|---|---|"]
    min_hits = _get(result["real"], "tracks", "gnn", "min_hits")
    for title, keys, fmt in FIGURES:
        title = title.format(min_hits=min_hits)
        a, b = _get(result["real"], *keys), _get(result["simulated"], *keys)
        ratio = a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
        rows.append(f"| {title} | {_fmt(a, fmt)} | {_fmt(b, fmt)} | {_fmt(ratio)} |")
    return "\n".join(rows)


def volume_table(result: dict) -> str:
    density = (result.get("hit_density") or {}).get("per_volume") or {}
    real_e = _get(result["real"], "graph", "edges_per_hit_per_volume") or {}
    sim_e = _get(result["simulated"], "graph", "edges_per_hit_per_volume") or {}
    rows = [
        "| volume | hits per event, real | simulated | real / simulated | edges per hit, real | simulated |",
        "|---|---|---|---|---|---|",
    ]
    for volume in sorted(set(density) | set(real_e) | set(sim_e), key=int):
        d = density.get(volume, {})
        rows.append(
            f"| {volume} | {_fmt(d.get('reference'), '{:,.0f}')} | {_fmt(d.get('events'), '{:,.0f}')} | "
            f"{_fmt(d.get('ratio'))} | {_fmt(real_e.get(volume), '{:.2f}')} | {_fmt(sim_e.get(volume), '{:.2f}')} |"
        )
    return "\n".join(rows)


def score_table(result: dict) -> str:
    real, sim = _get(result["real"], "scores", "gnn_score"), _get(result["simulated"], "scores", "gnn_score")
    if not real or not sim or real["edges"] != sim["edges"]:
        return ""
    rows = ["| GNN score | real | simulated |", "|---|---|---|"]
    for i, (a, b) in enumerate(zip(real["fraction"], sim["fraction"])):
        rows.append(f"| {real['edges'][i]:.2f}-{real['edges'][i + 1]:.2f} | {a:.4f} | {b:.4f} |")
    return "\n".join(rows)


def _run_dir(events: list[str]) -> Path | None:
    """A run's folder from its event folders (``<run>/events/<shard>``), relative to the cwd."""
    return Path(events[0]).parents[1] if events else None


def _provenance(run: Path | None) -> str:
    """The command and commit the run recorded in ``<run>/provenance.json``."""
    if run is None:
        return "-"
    path = run / "provenance.json"
    record = json.loads(path.read_text()) if path.exists() else {}
    return f"`{record.get('command', '?')}` at commit `{str(record.get('commit', '?'))[:10]}` (`{run}`)"


def _models_run(run: Path | None) -> Path | None:
    """The run that trained the models a run applied (``inference.models_dir`` = ``<run>/models``)."""
    path = run / "config.resolved.json" if run else None
    if path is None or not path.exists():
        return None
    models = read_run_config(path).get("inference", {}).get("models_dir")
    return Path(models).parent if models else None


def page(result: dict, source: str) -> str:
    graph = result["real"]["graph"]
    real_run = _run_dir(result["real"]["events"])
    parts = [
        f"Generated by `python scripts/docs/real_data_page.py {source}`. Real events: {_provenance(real_run)}. "
        f"Simulated twins: {_provenance(_run_dir(result['simulated']['events']))}. Models: "
        f"{_provenance(_models_run(real_run))}. Graph radius {graph.get('radius')}, kNN cap {graph.get('knn')}; every ratio is real / simulated; no "
        "truth is read on either side.",
        "",
        "**Targets (issue 25), computed from the figures below:**",
        "",
        target_table(result),
        "",
        "**What the models see and give:**",
        "",
        figure_table(result),
        "",
        "**Per volume:**",
        "",
        volume_table(result),
    ]
    sim_run = _run_dir(result["simulated"]["events"])
    if sim_run is not None and any((sim_run / "evaluation").glob("*.json")):
        parts += [
            "",
            "**The simulated twins scored against truth** (what the real events cannot be; same models):",
            "",
            summary_table(sim_run),
        ]
    scores = score_table(result)
    if scores:
        parts += ["", "**GNN score distribution (fraction of the scored edges per bin):**", "", scores]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("comparison", nargs="?", help="sim_to_real.json of a run on real files")
    parser.add_argument("--none", action="store_true", help="write the 'not generated yet' note instead")
    args = parser.parse_args(argv)
    if args.none or not args.comparison:
        atomic_write_text(OUTPUT, NOT_GENERATED)
        return 0
    atomic_write_text(OUTPUT, page(json.loads(Path(args.comparison).read_text()), args.comparison))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
