"""Read Snakemake ``benchmark:`` files (TSV with ``s`` wall seconds and ``max_rss`` MB)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_benchmarks(paths) -> pd.DataFrame:
    """Concatenate benchmark TSVs, one row per job, with a ``file`` column."""
    frames = []
    for path in paths:
        frame = pd.read_csv(path, sep="\t")
        frame["file"] = str(Path(path))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def seconds_per_event(paths, n_events: int) -> float | None:
    """Total wall time of the jobs divided by the events they handled."""
    table = read_benchmarks(paths)
    if table.empty or not n_events:
        return None
    return float(table["s"].sum() / n_events)
