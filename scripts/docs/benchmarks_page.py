"""Write ``docs/gen/benchmarks.md`` (included by ``docs/benchmarks.md``) from the JSON that the
``bench/`` scripts write with ``--out`` (``results/bench/*.json`` by default): one section per
benchmark with the command, commit, date and machine recorded in its JSON, a table of its
figures and a table per list or mapping of rows (events, stages, backends, volumes). Nothing
is typed by hand: rerun a benchmark, then this script.

    .venv/bin/python bench/metrics.py --out results/bench/metrics.json
    .venv/bin/python scripts/docs/benchmarks_page.py
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from trackgnn.utils.atomic import atomic_write_text  # noqa: E402

OUTPUT = ROOT / "docs" / "gen" / "benchmarks.md"
DEFAULT_GLOB = "results/bench/*.json"
#: benchmarks with a generated page of their own: linked, not repeated
OWN_PAGES = {"module_map": ("the module map's coverage curve", "stages/graph_construction.md")}
#: nested values deeper than this are written inline in one cell
MAX_DEPTH = 2
MAX_CELL = 120
NOT_GENERATED = (
    '!!! warning "Not generated yet"\n    No benchmark JSON was found when this file was written: run a '
    "benchmark with `--out results/bench/NAME.json`, then `python scripts/docs/benchmarks_page.py`.\n"
)
MACHINE_KEYS = (
    ("cpu", "CPU"),
    ("usable_cpus", "usable cores"),
    ("memory_gb", "memory (GB)"),
    ("load_average_1min", "load average at start"),
    ("gpu", "GPU"),
    ("torch", "torch"),
    ("python", "Python"),
)


def fmt(value) -> str:
    """One table cell: 4 significant digits for floats (whole numbers from 1000 on), yes/no,
    '-' for missing or empty."""
    if value is None or value == {} or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {fmt(v)}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(fmt(v) for v in value)
    else:
        text = str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def flatten(value: dict, prefix: str = "", depth: int = 1) -> dict:
    """Nested mappings to dotted keys, down to ``MAX_DEPTH`` levels."""
    flat = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict) and item and depth < MAX_DEPTH:
            flat.update(flatten(item, f"{name}.", depth + 1))
        else:
            flat[name] = item
    return flat


def _is_rows(value) -> bool:
    """A list of mappings, or a mapping of mappings (a row per key)."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, dict) for v in value)
    return isinstance(value, dict) and len(value) > 1 and all(isinstance(v, dict) for v in value.values())


def table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]


def rows_table(name: str, value) -> list[str]:
    """A table with a row per item of a list (or key of a mapping) of records."""
    items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
    flats = [(key, flatten(item)) for key, item in items]
    columns = list(dict.fromkeys(c for _, flat in flats for c in flat))
    header = ([name] if isinstance(value, dict) else []) + columns
    rows = [([key] if isinstance(value, dict) else []) + [flat.get(c) for c in columns] for key, flat in flats]
    return table(header, rows)


def provenance_lines(record: dict | None, source: str, bench: str) -> list[str]:
    if not record:
        return [
            f"`{source}` records no command, commit or machine (written before the benchmarks "
            f"recorded them): see `bench/{bench}.py` for how it is run."
        ]
    machine = record.get("machine") or {}
    facts = ", ".join(f"{title} {fmt(machine[k])}" for k, title in MACHINE_KEYS if machine.get(k) is not None)
    lines = [
        f"Command: `{record.get('command')}`  ",
        f"Commit: `{record.get('commit') or 'not recorded'}`, trackgnn {record.get('trackgnn_version')}, "
        f"{record.get('date')}  ",
    ]
    if facts:
        lines.append(f"Machine: {facts}.")
    return lines


def section(bench: dict, source: str) -> list[str]:
    """The page section of one benchmark's JSON."""
    record = bench.get("provenance")
    name = bench.get("benchmark") or (record or {}).get("bench") or Path(source).stem
    lines = [f"## {name}", "", *provenance_lines(record, source, name), ""]
    if name in OWN_PAGES:
        title, page = OWN_PAGES[name]
        return lines + [f"Its figures are on their own page: [{title}]({page}).", ""]
    figures = {k: v for k, v in bench.items() if k not in ("provenance", "benchmark")}
    if "skipped" in figures or "error" in figures:
        return lines + [f"Not measured: {fmt(figures.get('skipped') or figures.get('error'))}.", ""]
    summary = flatten({k: v for k, v in figures.items() if not _is_rows(v)})
    if summary:
        lines += table(["figure", "value"], [[k, v] for k, v in summary.items()]) + [""]
    for key, value in figures.items():
        if _is_rows(value):
            lines += [f"**{key}**", "", *rows_table(key, value), ""]
    return lines


def page(benches: list[tuple[str, dict]], sources: str) -> str:
    """The whole generated fragment, benchmarks sorted by name."""
    if not benches:
        return NOT_GENERATED
    note = (
        f"Generated by `python scripts/docs/benchmarks_page.py` from `{sources}`. Timings depend on "
        "the machine and on what else ran on it (see the load average)."
    )
    lines = [note, ""]
    for source, bench in sorted(benches, key=lambda b: (b[1].get("benchmark") or Path(b[0]).stem, b[0])):
        lines += section(bench, source)
    return "\n".join(lines).rstrip("\n") + "\n"


def read(path: Path) -> dict:
    try:
        bench = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(f"{path}: not a benchmark JSON ({exc})") from None
    if not isinstance(bench, dict):
        raise SystemExit(f"{path}: not a benchmark JSON (expected one object)")
    return bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="*", help=f"benchmark JSON files (default: {DEFAULT_GLOB})")
    parser.add_argument("--out", default=str(OUTPUT), help="page fragment to write")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.json] or sorted(ROOT.glob(DEFAULT_GLOB))
    shown = [str(p.resolve().relative_to(ROOT)) if p.resolve().is_relative_to(ROOT) else str(p) for p in paths]
    sources = " ".join(shown) if args.json else DEFAULT_GLOB
    atomic_write_text(Path(args.out), page([(s, read(p)) for s, p in zip(shown, paths)], sources))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
