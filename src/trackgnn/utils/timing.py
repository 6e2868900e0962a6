"""Seconds per event of a reconstruction chain, from the timing records its jobs leave.

Two kinds of record are understood:

* stage JSON files with ``stage``, ``n_events`` and ``seconds_per_event`` (the compute time
  a stage measured itself, excluding interpreter start-up and one-off set-up such as
  building a geometry): the chain's figure is the sum over stages of each stage's mean;
* Snakemake ``benchmark:`` TSVs (``s`` = wall seconds of the whole job, start-up included):
  summed and divided by the number of events.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def read_benchmarks(paths) -> pd.DataFrame:
    """Concatenate Snakemake benchmark TSVs, one row per job, with a ``file`` column."""
    frames = []
    for path in paths:
        frame = pd.read_csv(path, sep="\t")
        frame["file"] = str(Path(path))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def stage_seconds(paths) -> dict[str, float]:
    """Mean seconds per event of each stage named in the JSON timing records."""
    totals: dict[str, list[float]] = {}
    for path in paths:
        record = json.loads(Path(path).read_text())
        timing = record.get("timing", record)
        if "seconds_per_event" not in timing or "n_events" not in timing:
            raise ValueError(f"{path}: no seconds_per_event/n_events timing record")
        stage = timing.get("stage", Path(path).parent.name)
        seconds, events = totals.setdefault(stage, [0.0, 0])
        totals[stage] = [seconds + timing["seconds_per_event"] * timing["n_events"], events + timing["n_events"]]
    return {stage: s / n for stage, (s, n) in totals.items() if n}


def seconds_per_event(paths, n_events: int) -> dict:
    """``{"total": s/event, "stages": {...}, "source": ...}`` of the given timing files."""
    paths = [Path(p) for p in paths]
    json_paths = [p for p in paths if p.suffix == ".json"]
    tsv_paths = [p for p in paths if p.suffix == ".tsv"]
    out: dict = {}
    if json_paths:
        stages = stage_seconds(json_paths)
        out = {"total": sum(stages.values()), "stages": stages, "source": "stage timing (compute only)"}
    elif tsv_paths and n_events:
        table = read_benchmarks(tsv_paths)
        out = {"total": float(table["s"].sum() / n_events), "stages": {}, "source": "job wall time incl. start-up"}
    return out
