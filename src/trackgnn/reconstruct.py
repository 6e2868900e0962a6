"""Reconstruct a folder of raw TrackML events with trained models, in one call.

The chain is the workflow's inference path, stage function by stage function (feature store,
graph construction by metric learning or module map, filter, GNN, track building) on one
event at a time, through the same HDF5 shards in a scratch folder; no truth is read. The
run config that trained the models (``<run>/config.resolved.json``, found next to the models
folder) gives every setting, so the features, radius, cuts and track building are those the
models were validated with.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

STAGES = ("feature_store", "build_graphs", "filter_graphs", "score_edges", "build_tracks")


class ReconstructionError(ValueError):
    """The events or models cannot be reconstructed together; the message says what is missing."""


def find_run_config(models: Path) -> Path:
    """``config.resolved.json`` of the run that trained ``models`` (its parent folder)."""
    candidate = models.parent / "config.resolved.json"
    if not candidate.is_file():
        raise ReconstructionError(
            f"{models}: no run config at {candidate}; give --config (the config.resolved.json of the run "
            "that trained these models)"
        )
    return candidate


def check_models(models: Path, method: str) -> None:
    """Every model file the chain needs is there (named when missing)."""
    needed = ["filter/filter.pt", "gnn/gnn.pt"]
    needed.insert(0, "module_map/map.h5" if method == "module_map" else "embedding/embedding.pt")
    missing = [n for n in needed if not (models / n).is_file()]
    if missing:
        raise ReconstructionError(f"{models}: missing model file(s) {missing} (graph_construction.method {method})")


def check_events(events: Path, event_ids: list[int], features: list[str]) -> None:
    """Events exist, and carry cells when the models' features need them."""
    from trackgnn.feature_store.features import FEATURES
    from trackgnn.io.trackml import event_file

    if not event_ids:
        raise ReconstructionError(f"{events}: no TrackML events (event<id>-hits.csv[.gz]) in this folder")
    cell_features = [f for f in features if f in FEATURES and FEATURES[f].cells]
    if cell_features:
        lacking = [e for e in event_ids if event_file(events, e, "cells") is None]
        if lacking:
            raise ReconstructionError(
                f"{events}: event(s) {lacking[:5]} have no cells file, but the models use the cell features "
                f"{cell_features}; use models trained on hits only (config/hits_only.yaml)"
            )


def reconstruct_event(
    config: dict, models: Path, events: Path, event_id: int, work: Path, out_csv: Path, device: str = "cpu"
) -> dict[str, float]:
    """One event through every stage; returns the seconds of each stage."""
    from trackgnn.feature_store import build_feature_store
    from trackgnn.filtering.run import filter_graphs
    from trackgnn.gnn.run import score_edges
    from trackgnn.track_building.stage import build_tracks_shard

    path = {stage: work / f"{stage}-{event_id}.h5" for stage in STAGES}
    method = config["graph_construction"]["method"]

    def graphs() -> None:
        if method == "module_map":
            from trackgnn.graph_construction.module_map.stage import build_graphs_module_map

            build_graphs_module_map(
                config, models / "module_map" / "map.h5", path["feature_store"], path["build_graphs"]
            )
        else:
            from trackgnn.graph_construction.build import build_graphs

            build_graphs(config, models / "embedding", path["feature_store"], path["build_graphs"])

    steps: dict[str, Callable[[], object]] = {
        "feature_store": lambda: build_feature_store(events, [event_id], path["feature_store"], config),
        "build_graphs": graphs,
        "filter_graphs": lambda: filter_graphs(
            config, models / "filter", path["build_graphs"], path["filter_graphs"], device=device
        ),
        "score_edges": lambda: score_edges(
            config, models / "gnn", path["filter_graphs"], path["score_edges"], device=device
        ),
        "build_tracks": lambda: build_tracks_shard(config, path["score_edges"], out_csv),
    }
    seconds = {}
    for stage in STAGES:
        start = time.perf_counter()
        steps[stage]()
        seconds[stage] = time.perf_counter() - start
    for p in path.values():
        p.unlink(missing_ok=True)
    return seconds


def reconstruct(
    models: str | Path,
    events: str | Path,
    out: str | Path,
    config_path: str | Path | None = None,
    event_ids: Iterable[int] | None = None,
    device: str = "cpu",
    progress: bool = False,
) -> dict:
    """Tracks of every event of ``events`` into ``out/event<id>-tracks.csv``, plus ``out/timing.json``.

    Returns:
        the timing record: seconds per event and per stage, events done.
    """
    from trackgnn.config import load_config
    from trackgnn.io import list_event_ids
    from trackgnn.utils.device import check_device
    from trackgnn.utils.jsonio import write_json

    models, events, out = Path(models), Path(events), Path(out)
    if not models.is_dir():
        raise ReconstructionError(f"--models {models}: not a folder of trained models")
    config = load_config(config_path or find_run_config(models))
    check_device(device)
    check_models(models, config["graph_construction"]["method"])
    ids = list(event_ids) if event_ids is not None else list_event_ids(events)
    check_events(events, ids, list(config["feature_store"]["features"]))
    out.mkdir(parents=True, exist_ok=True)
    per_event = {}
    iterator = ids
    if progress:
        from tqdm import tqdm

        iterator = tqdm(ids, unit="event")
    with tempfile.TemporaryDirectory(prefix="trackgnn-reconstruct-") as work:
        for event_id in iterator:
            seconds = reconstruct_event(
                config, models, events, event_id, Path(work), out / f"event{event_id:09d}-tracks.csv", device
            )
            per_event[str(event_id)] = seconds
            log.info(
                "event %d: %.2f s (%s)",
                event_id,
                sum(seconds.values()),
                ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()),
            )
    n = max(len(per_event), 1)
    record = {
        "n_events": len(per_event),
        "seconds_per_event": sum(sum(s.values()) for s in per_event.values()) / n,
        "stages": {stage: sum(s[stage] for s in per_event.values()) / n for stage in STAGES},
        "events": per_event,
        "models": str(models),
        "graph_construction": config["graph_construction"]["method"],
    }
    write_json(out / "timing.json", record)
    return record
