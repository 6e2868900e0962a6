"""Write ``docs/gen/model_comparison.md`` (the "Top takeaways" table) from a comparison run.

The GNN comparison (``trackgnn compare-gnn ... --out DIR``, or the workflow's comparison
rule) writes ``DIR/comparison.json`` and one folder per model with its exported
hyperparameters (``DIR/<model>/gnn.json``). This script turns them into the Markdown the
docs include: the table (quality, memory, time), the recommended model with its
hyperparameters, and where the numbers come from. It never invents numbers: without a
comparison it writes a statement that none has been generated.

    .venv/bin/python scripts/docs/model_comparison.py results/<run>/comparison
    .venv/bin/python scripts/docs/model_comparison.py --none    # reset to "not generated"
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "gen" / "model_comparison.md"

#: (key in comparison.json, column title, format)
COLUMNS = (
    ("model", "Model", "{}"),
    ("efficiency", "Edge efficiency", "{:.4f}"),
    ("purity", "Edge purity", "{:.4f}"),
    ("auc", "ROC AUC", "{:.4f}"),
    ("parameters", "Parameters", "{:,}"),
    ("epochs", "Epochs", "{}"),
    ("train_seconds", "Training time [s]", "{:.1f}"),
    ("seconds_per_event", "Inference [s/event]", "{:.3f}"),
    ("peak_rss_mb", "Peak inference memory [MB]", "{:.0f}"),
)

NOT_GENERATED = """!!! warning "Not generated yet"
    No model comparison has been run into this file yet, so there are no numbers to show.
    Run the comparison and regenerate this file with the commands above.
"""


def _fmt(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


def find_comparison(path: Path) -> Path:
    """``path`` itself if it holds ``comparison.json``, else the only one below it."""
    if (path / "comparison.json").is_file():
        return path
    found = sorted(p.parent for p in path.rglob("comparison.json"))
    if len(found) != 1:
        raise SystemExit(f"{path}: expected one comparison.json below it, found {len(found)}: {found}")
    return found[0]


def recommended(rows: list[dict]) -> dict | None:
    """Highest edge efficiency at the run's cut; ties broken by purity, then AUC."""

    def key(row):
        return tuple(float(row.get(k) or float("-inf")) for k in ("efficiency", "purity", "auc"))

    rows = [r for r in rows if r.get("efficiency") is not None]
    return max(rows, key=key) if rows else None


def run_config(comparison_dir: Path) -> dict | None:
    """The resolved run config written by the workflow, if the comparison is inside a run (an
    earlier run's old section names renamed: :func:`trackgnn.config.read_run_config`)."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from trackgnn.config import read_run_config

    for parent in [comparison_dir, *comparison_dir.parents]:
        path = parent / "config.resolved.json"
        if path.is_file():
            return read_run_config(path)
    return None


def render(comparison_dir: Path, today: str | None = None) -> str:
    rows = json.loads((comparison_dir / "comparison.json").read_text())
    if not rows:
        raise SystemExit(f"{comparison_dir}/comparison.json has no rows")
    try:
        source = comparison_dir.resolve().relative_to(ROOT)
    except ValueError:
        source = comparison_dir
    today = today or dt.date.today().isoformat()
    lines = [
        f"Generated on {today} by `python scripts/docs/model_comparison.py {source}` from `{source}/comparison.json`.",
    ]
    cfg = run_config(comparison_dir)
    if cfg:
        run, data = cfg.get("run", {}), cfg.get("data", {})
        details = [f"run `{run.get('name')}`", f"data source `{data.get('source')}`"]
        if data.get("source") == "simulate":
            details.append(f"{data.get('n_events')} simulated events")
            if "mu" in (cfg.get("simulation") or {}):
                details.append(f"pile-up μ = {cfg['simulation']['mu']}")
        lines[-1] += " Run: " + ", ".join(details) + "."
    lines += [
        "",
        "| " + " | ".join(title for _, title, _ in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(key), fmt) for key, _, fmt in COLUMNS) + " |")
    best = recommended(rows)
    if best is not None:
        name = best["model"]
        lines += [
            "",
            f"**Recommended:** `{name}` (highest edge efficiency at the run's `gnn.cut`, "
            "ties broken by purity). Its hyperparameters in this comparison:",
            "",
        ]
        meta = comparison_dir / name / "gnn.json"
        if meta.is_file():
            hp = json.loads(meta.read_text())
            block = {"gnn": {"model": name, "models": {name: hp.get("model_kwargs", {})}}}
            lines += ["```yaml", yaml.safe_dump(block, sort_keys=False).rstrip(), "```"]
        else:
            lines.append(f"(`{meta}` not found: hyperparameters not recorded.)")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("comparison", nargs="?", type=Path, help="comparison folder (or a run folder containing one)")
    parser.add_argument("--none", action="store_true", help="write the 'not generated yet' statement")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.none == (args.comparison is not None):
        parser.error("give a comparison folder or --none")
    text = NOT_GENERATED if args.none else render(find_comparison(args.comparison))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
