"""Markdown of a run's comparison (:func:`trackgnn.report.comparison.compare_run`): one table
for the full detector, one for the pixel detector alone, and what the figures mean; or one
compact table of both (for the README, whose size is budgeted)."""

from __future__ import annotations

import math

COLUMNS = (
    ("label", "method", "{}"),
    ("efficiency", "efficiency", "{:.4f}"),
    ("fake_rate", "fake rate", "{:.4f}"),
    ("duplicate_rate", "duplicate rate", "{:.4f}"),
    ("trackml_score", "TrackML score", "{:.4f}"),
    ("n_target_particles", "targets", "{}"),
    ("seconds_per_event", "s/event", "{:.2f}"),
    ("peak_rss_mb", "peak RSS [MB]", "{:.0f}"),
)


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return fmt.format(value)


def block_table(rows: list[dict]) -> str:
    """One markdown table, a row per method."""
    head = "| " + " | ".join(h for _, h, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(_cell(row.get(k), fmt) for k, _, fmt in COLUMNS) + " |" for row in rows]
    return "\n".join([head, rule, *body])


#: the compact table: (block, key, header, format)
COMPACT = (
    ("full", "label", "method", "{}"),
    *(("full", k, h, f) for k, h, f in COLUMNS[1:5]),
    ("full", "seconds_per_event", "s/event", "{:.2f}"),
    ("full", "peak_rss_mb", "peak RSS [MB]", "{:.0f}"),
    *(("pixel", k, f"pixel {h}", f) for k, h, f in COLUMNS[1:5]),
)


def compact_table(result: dict) -> str:
    """Both blocks in one table: the full-detector figures, time and memory, then the pixel-only
    figures of the same method."""
    pixel = {row["method"]: row for row in result["pixel"]}
    head = "| " + " | ".join(h for _, _, h, _ in COMPACT) + " |"
    rule = "|" + "|".join("---" for _ in COMPACT) + "|"
    body = []
    for row in result["full"]:
        rows = {"full": row, "pixel": pixel.get(row["method"], {})}
        body.append("| " + " | ".join(_cell(rows[b].get(k), fmt) for b, k, _, fmt in COMPACT) + " |")
    return "\n".join([head, rule, *body])


def definitions(result: dict) -> str:
    """What the columns and the pixel restriction mean, with the run's own cuts."""
    cuts = result["cuts"]
    n = cuts["min_hits"]
    volumes = ", ".join(str(v) for v in result["volumes"])
    events = sorted({row.get("n_events") for row in result["full"]} - {None})
    return (
        f"Test events: {', '.join(map(str, events))}. Targets: pT > {cuts['pt_min']:g} GeV, |eta| < "
        f"{cuts['eta_max']:g}, >= {n} hits; double-majority matching; fake and duplicate rates over "
        f"tracks of >= {n} hits. s/event: compute time of the method's chain, the sum of its stages' "
        "timing records (trackgnn: feature store to track building; + KF: and the Kalman fit). Peak RSS: "
        "the largest max_rss of the chain's jobs on the test shards (Snakemake benchmarks).\n\n"
        f"Pixel only (volumes {volumes}): the same tracks and truth cut to the hits in these volumes, "
        f"every figure recomputed: a particle is a target with >= {n} hits there, a track counts in the "
        f"rates with >= {n} hits there (one with none is gone), the double majority is over the kept "
        "hits, and the TrackML score keeps the truth file's hit weights, normalised over the kept hits. "
        "The tracks are the full detector's: s/event and peak RSS are those of the full chain."
    )


def comparison_markdown(result: dict, notes: bool = True) -> str:
    """Both tables (and, with ``notes``, the definitions and the command that wrote them)."""
    volumes = ", ".join(str(v) for v in result["volumes"])
    parts = [
        "**Full detector**",
        "",
        block_table(result["full"]),
        "",
        f"**Pixel only** (volumes {volumes})",
        "",
        block_table(result["pixel"]),
    ]
    if notes:
        parts += ["", definitions(result)]
        produced = result.get("produced_by") or {}
        if produced.get("command"):
            parts += ["", f"Written by `{produced['command']}` at code commit `{produced.get('commit')}`."]
    return "\n".join(parts)
