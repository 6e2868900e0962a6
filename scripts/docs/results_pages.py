"""Write the results pages of the docs, and the results tables of README.md, from run outputs.

For each run folder given (``results/<run>``) this writes ``docs/gen/results_<run>.md``: the
track-level table of every method (what ``trackgnn summary`` prints), the comparison of the
methods over the full detector and the pixels alone (``report/comparison.json``, what
``trackgnn compare`` writes), the edge-level figures of each graph stage on the test events,
time per event per stage, training time, and where it all comes from (the command recorded by
the run, its config files and code commit). README.md holds one marked block per preset,
``<!-- results:NAME -->`` ... ``<!-- /results:NAME -->``; the block of each run given is
replaced by its comparison in one compact table (its track table when the run has no comparison) and a link
to its page. Nothing is typed by hand: rerun the preset, then this script.

    .venv/bin/python scripts/docs/results_pages.py results/default results/trackml_mu200_cpu
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from trackgnn.cli.evaluate import summary_table  # noqa: E402
from trackgnn.config import read_run_config  # noqa: E402
from trackgnn.report.comparison_table import compact_table, comparison_markdown  # noqa: E402
from trackgnn.utils.atomic import atomic_write_text  # noqa: E402

GEN = ROOT / "docs" / "gen"
README = ROOT / "README.md"
#: graph stages on the test shards: (folder, title)
STAGES = (("graphs", "graph construction"), ("filtered", "filter"), ("scored", "GNN"))


def _fmt(value, fmt: str = "{:.4f}") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return fmt.format(value)


def _load(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def _edge_counts(record: dict) -> dict:
    """Counts of one shard's stage record: graph building keeps them under ``total``, the
    filter and the GNN at the top level (edges kept, purity of the kept edges)."""
    t = record.get("total") or record
    edges = t.get("n_edges", t.get("n_edges_kept", 0)) or 0
    true_kept = t.get("n_true_kept")
    if true_kept is None and t.get("purity") is not None:
        true_kept = t["purity"] * edges
    return {
        "hits": t.get("n_hits", 0) or 0,
        "edges": edges,
        "true_kept": true_kept,
        "target_true": t.get("n_target_true", t.get("n_truth_target", 0)) or 0,
        "target_kept": t.get("n_target_kept", 0) or 0,
    }


def edge_table(run: Path) -> str:
    """Target-edge efficiency (against the truth graph), purity and edges per hit of each graph
    stage, pooled over the test shards."""
    rows = []
    for folder, title in STAGES:
        records = [_edge_counts(_load(p) or {}) for p in sorted((run / folder).glob("test-*.json"))]
        if not records:
            continue
        total = {k: sum(r[k] or 0 for r in records) for k in ("hits", "edges", "target_true", "target_kept")}
        known = all(r["true_kept"] is not None for r in records)
        true_kept = sum(r["true_kept"] for r in records) if known else None
        eff = total["target_kept"] / total["target_true"] if total["target_true"] else None
        purity = true_kept / total["edges"] if total["edges"] and true_kept is not None else None
        per_hit = total["edges"] / total["hits"] if total["hits"] else None
        rows.append(f"| {title} | {_fmt(eff)} | {_fmt(purity)} | {_fmt(per_hit, '{:.1f}')} |")
    if not rows:
        return ""
    return "\n".join(["| stage | target edge efficiency | purity | edges per hit |", "|---|---|---|---|", *rows])


def timing_table(run: Path) -> str:
    """Seconds per event of each stage of the GNN chain and of the CKF (test events)."""
    rows = []
    for path in sorted((run / "evaluation").glob("*.json")):
        result = _load(path) or {}
        timing = result.get("seconds_per_event") or {}
        if timing.get("total"):
            stages = timing.get("stages") or {}
            parts = ", ".join(f"{k} {_fmt(v, '{:.2f}')}" for k, v in stages.items() if isinstance(v, (int, float)))
            rows.append(f"| {result.get('method', path.stem)} | {_fmt(timing['total'], '{:.2f}')} | {parts} |")
    if not rows:
        return ""
    return "\n".join(["| method | s/event | by stage |", "|---|---|---|", *rows])


def training_table(run: Path) -> str:
    """Wall-clock seconds of each training job (Snakemake's benchmark files)."""
    rows = []
    for path in sorted((run / "benchmarks").glob("train_*.tsv")) + sorted(
        (run / "benchmarks").glob("build_module_map*.tsv")
    ):
        with path.open() as f:
            record = next(csv.DictReader(f, delimiter="\t"), None)
        if record and record.get("s"):
            rows.append(
                f"| {path.stem} | {float(record['s']):.0f} | {_fmt(float(record.get('max_rss') or 'nan'), '{:.0f}')} |"
            )
    if not rows:
        return ""
    return "\n".join(["| job | seconds | peak RSS [MB] |", "|---|---|---|", *rows])


def provenance(run: Path) -> str:
    record = _load(run / "provenance.json") or {}
    resolved = run / "config.resolved.json"
    config = read_run_config(resolved) if resolved.exists() else {}
    command = record.get("command") or "(not recorded)"
    commit = record.get("commit") or "(not recorded)"
    data = config.get("data", {})
    sim = config.get("simulation", {})
    what = (
        f"{data.get('n_events')} simulated events, mu = {sim.get('mu')}"
        if data.get("source") == "simulate"
        else f"events from `{data.get('input_dir')}`"
    )
    return (
        f"Run `{run.name}` ({what}); produced by `{command}` at code commit `{commit}`; "
        f"its full config is `{run}/config.resolved.json`."
    )


def comparison(run: Path) -> dict | None:
    """The run's comparison (``report/comparison.json``), or ``None`` before it is made."""
    return _load(run / "report" / "comparison.json")


def readme_block(run: Path) -> str:
    """The README block of a run: its comparison tables (else its track table), what made it
    and a link to its page, where the definitions are."""
    result = comparison(run)
    if result is None:
        table = summary_table(run)
    else:
        cuts, volumes = result["cuts"], ", ".join(str(v) for v in result["volumes"])
        table = (
            compact_table(result)
            + f"\n\nTargets: pT > {cuts['pt_min']:g} GeV, |eta| < {cuts['eta_max']:g}, >= {cuts['min_hits']} hits; "
            f"pixel: the same tracks and truth cut to volumes {volumes}, recomputed; written by `trackgnn compare` "
            "(command, commit and definitions on the page)."
        )
    return f"{table}\n\n{provenance(run)} All figures: [docs/results.md](docs/results.md#{run.name})."


def run_page(run: Path) -> str:
    parts = [
        f"## {run.name}",
        "",
        f"Generated by `python scripts/docs/results_pages.py {run}` from the run's outputs.",
        provenance(run),
        "",
        "### Tracks (test events)",
        "",
        summary_table(run),
    ]
    result = comparison(run)
    if result is not None:
        parts += ["", "### Comparison: full detector and pixel only (test events)", "", comparison_markdown(result)]
    for title, table in (
        ("### Edges per graph stage (test events)", edge_table(run)),
        ("### Time per event", timing_table(run)),
        ("### Training", training_table(run)),
    ):
        if table:
            parts += ["", title, "", table]
    return "\n".join(parts) + "\n"


def replace_block(text: str, name: str, body: str) -> tuple[str, bool]:
    """Replace the README block of preset ``name``; returns (text, whether a block was found)."""
    pattern = re.compile(rf"(<!-- results:{re.escape(name)} -->\n).*?(<!-- /results:{re.escape(name)} -->)", re.S)
    if not pattern.search(text):
        return text, False
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text), True


def placeholder(name: str, command: str) -> str:
    return (
        f"## {name}\n\nNot generated in this checkout yet: run `{command}`, then "
        f"`.venv/bin/python scripts/docs/results_pages.py results/{name}`.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="*", help="run folders (results/<run>) with evaluation/*.json")
    parser.add_argument(
        "--placeholder",
        nargs=2,
        metavar=("RUN", "COMMAND"),
        help="write the 'not generated yet' page of RUN (made by COMMAND) instead",
    )
    args = parser.parse_args(argv)
    if args.placeholder:
        name, command = args.placeholder
        atomic_write_text(GEN / f"results_{name}.md", placeholder(name, command))
        return 0
    readme = README.read_text()
    for run in map(Path, args.runs):
        page = run_page(run)
        atomic_write_text(GEN / f"results_{run.name}.md", page)
        readme, found = replace_block(readme, run.name, readme_block(run))
        print(f"{run}: wrote docs/gen/results_{run.name}.md" + ("; README block updated" if found else ""))
    atomic_write_text(README, readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
