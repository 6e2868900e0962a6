"""Build one feature-store shard (an HDF5 file, a group per event) from TrackML event files."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from trackgnn.data import write_store
from trackgnn.data.checks import check_event
from trackgnn.feature_store.config import FeatureStoreConfig
from trackgnn.feature_store.event import needs_cells, process_event
from trackgnn.io import read_detectors, read_event

log = logging.getLogger(__name__)


def find_detectors(input_dir: str | Path, explicit: str | None = None) -> Path | None:
    """``explicit`` if given, else ``detectors.csv[.gz]`` in ``input_dir`` or its parent."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise FileNotFoundError(f"feature_store.detectors: {path} does not exist")
        return path
    for folder in (Path(input_dir), Path(input_dir).parent):
        for name in ("detectors.csv", "detectors.csv.gz"):
            if (folder / name).exists():
                return folder / name
    return None


def build_feature_store(
    input_dir: str | Path,
    event_ids: Iterable[int],
    out: str | Path,
    cfg: FeatureStoreConfig | Mapping | None = None,
) -> Path:
    """Write the feature store of ``event_ids`` (read from ``input_dir``) to ``out``.

    Events with a truth file get truth arrays; events without (real raw files) do not, and
    every hit is kept. File attributes: ``feature_names``, ``config`` (the stage config),
    ``has_truth``.

    Args:
        input_dir: folder of TrackML event files.
        event_ids: events to put in this shard.
        out: the HDF5 path (written atomically).
        cfg: a :class:`FeatureStoreConfig` or a whole config mapping (see ``from_config``).
    """
    if not isinstance(cfg, FeatureStoreConfig):
        cfg = FeatureStoreConfig.from_config(cfg)
    event_ids = [int(e) for e in event_ids]
    if not event_ids:
        raise ValueError("feature store: no events given")
    detectors: pd.DataFrame | None = None
    if needs_cells(cfg):
        path = find_detectors(input_dir, cfg.detectors)
        if path is None:
            raise ValueError(
                f"cell features need detectors.csv: none in {input_dir} or its parent; set feature_store.detectors"
            )
        detectors = read_detectors(path)
    events, has_truth = {}, []
    for event_id in event_ids:
        event = read_event(input_dir, event_id, parts=("hits", "cells", "particles", "truth"))
        arrays = process_event(event, cfg, detectors)
        # a NaN hit coordinate or cell feature would give NaN scores on every edge around it
        check_event(
            arrays,
            f"{input_dir} event {event_id}",
            "the hit positions or cell features of the input event are not finite numbers",
        )
        events[event_id] = arrays
        has_truth.append(event.has_truth)
        log.info(
            "event %d: %d hits, %s truth edges",
            event_id,
            len(arrays["hit_id"]),
            arrays["truth_edges"].shape[1] if "truth_edges" in arrays else "no",
        )
    if len(set(has_truth)) > 1:
        raise ValueError(f"events {event_ids} in {input_dir}: some have truth files and some do not")
    attrs = {"feature_names": list(cfg.features), "config": cfg.as_dict(), "has_truth": bool(has_truth[0])}
    return write_store(out, events, attrs)
