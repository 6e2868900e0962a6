"""The comparison table of a run (issue #24): for each track-building method its efficiency,
fake and duplicate rates, TrackML score, seconds per event and peak memory, over the full
detector and over the pixel detector alone.

Full detector: the run's own evaluation (``evaluation/<method>.json``, written by ``trackgnn
evaluate``). Pixel only: the same metric functions (:func:`trackgnn.evaluation.evaluate_events`,
same target cuts, same handling of left-out hits) on the method's test tracks and events cut
to the pixel volumes (:mod:`trackgnn.metrics.volumes`). Seconds per event: what the evaluation
recorded (the sum of the chain's stage timings). Peak RSS: the largest ``max_rss`` of the
chain's jobs on the test shards (Snakemake benchmark files).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from trackgnn.metrics import TargetCuts

log = logging.getLogger(__name__)

#: The GNN inference chain's rules, whose benchmark files give its memory.
GNN_CHAIN = ("feature_store", "build_graphs", "filter_graphs", "score_edges", "build_tracks")
#: method -> (row label, rules of its chain); the truth reference has no reconstruction.
METHODS = {
    "gnn": ("trackgnn", GNN_CHAIN),
    "gnn_kf": ("trackgnn + KF", (*GNN_CHAIN, "fit_tracks")),
    "ckf": ("ACTS CKF", ("acts_ckf",)),
    "reference": ("truth reference", ()),
}
#: The figures of a row taken from the pooled metrics.
FIGURES = (
    "n_events",
    "efficiency",
    "fake_rate",
    "duplicate_rate",
    "trackml_score",
    "n_target_particles",
    "n_reconstructed_targets",
    "n_tracks_counted",
)
_SHARD_CSV = re.compile(r"^test-\d+\.csv$")


def read_evaluation(run: Path, method: str) -> dict:
    """``evaluation/<method>.json`` of the run, or one error line naming the file."""
    path = run / "evaluation" / f"{method}.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found; expected the evaluation of method {method!r} (rule evaluate)")
    try:
        result = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(result, dict) or "target" not in result:
        raise ValueError(f"{path}: no 'target' figures; expected the output of 'trackgnn evaluate'")
    return result


def shard_tracks(run: Path, method: str) -> list[Path]:
    """The method's tracks CSV of each test shard (``tracks/<method>/test-NNN.csv``)."""
    folder = run / "tracks" / method
    paths = sorted(p for p in folder.glob("test-*.csv") if _SHARD_CSV.match(p.name))
    if not paths:
        raise FileNotFoundError(f"{folder}: no test-NNN.csv tracks; expected the test tracks of method {method!r}")
    return paths


def peak_rss_mb(run: Path, rules: Sequence[str], shards: Sequence[str]) -> float | None:
    """Largest ``max_rss`` (MB) of the rules' benchmark files on the shards; ``None`` without
    rules, or when a file is missing or holds no figure (a partial maximum would understate)."""
    if not rules:
        return None
    peak = -math.inf
    for rule in rules:
        for shard in shards:
            path = run / "benchmarks" / rule / f"{shard}.tsv"
            if not path.is_file():
                log.warning("%s: not found; peak RSS left out", path)
                return None
            values = pd.to_numeric(pd.read_csv(path, sep="\t").get("max_rss"), errors="coerce")
            if values is None or values.isna().all():
                log.warning("%s: no max_rss figure; peak RSS left out", path)
                return None
            peak = max(peak, float(values.max()))
    return peak


def pixel_figures(run: Path, method: str, target: TargetCuts, extra: dict, volumes: Sequence[int]) -> dict:
    """The evaluation of the method's test tracks on the hits of ``volumes`` alone."""
    from trackgnn.evaluation import evaluate_events
    from trackgnn.tracks import read_tracks

    sources = []
    for path in shard_tracks(run, method):
        events = run / "events" / path.stem
        if not events.is_dir():
            raise FileNotFoundError(f"{events}: not found; expected the events of {path}")
        sources.append((read_tracks(path), events, path))
    # as the evaluate rule: left-out hits are unassigned, every event of the shards counts
    return evaluate_events(sources, target, extra, partial=True, every_event=True, volumes=volumes)


def _row(method: str, pooled: dict, extra: dict, seconds, rss) -> dict:
    row = {"method": method, "label": METHODS.get(method, (method,))[0]}
    row.update({k: pooled.get(k) for k in FIGURES})
    row.update(seconds_per_event=seconds, peak_rss_mb=rss)
    row["extra"] = {name: {k: e.get(k) for k in FIGURES} for name, e in extra.items()}
    return row


def compare_run(
    run: str | Path, methods: Sequence[str], target: TargetCuts, extra: dict, volumes: Sequence[int]
) -> dict:
    """The comparison of a run folder: ``{"full": rows, "pixel": rows, ...}``, one row per
    method in the order given. Every method needs its evaluation and test tracks."""
    run = Path(run)
    results = {m: read_evaluation(run, m) for m in methods}  # every missing file before any work
    full, pixel = [], []
    for method in methods:
        result = results[method]
        if result["target"].get("cuts") != target.as_dict():
            raise ValueError(
                f"{run / 'evaluation' / f'{method}.json'}: evaluated with target cuts {result['target'].get('cuts')}, "
                f"but the config has {target.as_dict()}; expected the same (rerun 'trackgnn evaluate')"
            )
        shards = [p.stem for p in shard_tracks(run, method)]
        seconds = (result.get("seconds_per_event") or {}).get("total")
        rss = peak_rss_mb(run, METHODS.get(method, ("", ()))[1], shards)
        full.append(_row(method, result["target"], result.get("extra", {}), seconds, rss))
        cut = pixel_figures(run, method, target, extra, volumes)
        pixel.append(_row(method, cut["target"], cut["extra"], seconds, rss))
        log.info(
            "%s: pixel-only efficiency %s, fake rate %s",
            method,
            cut["target"]["efficiency"],
            cut["target"]["fake_rate"],
        )
    return {
        "run": str(run),
        "methods": list(methods),
        "cuts": target.as_dict(),
        "volumes": [int(v) for v in volumes],
        "chain_rules": {m: list(METHODS.get(m, ("", ()))[1]) for m in methods},
        "full": full,
        "pixel": pixel,
    }
