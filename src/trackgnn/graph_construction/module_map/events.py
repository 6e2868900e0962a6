"""Reading the training events of a module map: folders of TrackML events or feature-store shards."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)


def read_geometry_table(inputs: Iterable[str | Path], detectors: str | Path | None = None) -> tuple[pd.DataFrame, Path]:
    """The detectors table: ``detectors`` if given, else ``detectors.csv[.gz]`` next to (or one
    folder above) the first input folder.

    Raises:
        FileNotFoundError: none found; the message says where it looked.
    """
    from trackgnn.feature_store.shard import find_detectors
    from trackgnn.io import read_detectors

    path = Path(detectors) if detectors else None
    if path is None:
        for item in inputs:
            folder = Path(item) if Path(item).is_dir() else Path(item).parent
            path = find_detectors(folder)
            if path is not None:
                break
    if path is None or not path.exists():
        raise FileNotFoundError(
            f"module map: no detectors.csv[.gz] given (--detectors) or found next to {list(inputs)}"
        )
    return read_detectors(path), path


def training_events(inputs: Iterable[str | Path], n_events: int | None = None) -> Iterator[tuple[str, dict]]:
    """``(name, arrays)`` of up to ``n_events`` events with truth, in input order and then id order.

    Args:
        inputs: folders of TrackML events (with truth and particles files), or HDF5
            feature-store shards with truth.
    """
    from trackgnn.data import read_store
    from trackgnn.feature_store.config import FeatureStoreConfig
    from trackgnn.feature_store.event import process_event
    from trackgnn.io import list_event_ids, read_event

    fs_cfg = FeatureStoreConfig(features=("r", "phi", "z"), truth_graph="modulewise")
    done = 0
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            ids = list_event_ids(path)
            if not ids:
                raise FileNotFoundError(f"{path}: no event*-hits.csv files; expected simulated events with truth")
            for event_id in ids:
                if n_events is not None and done >= n_events:
                    return
                event = read_event(path, event_id, parts=("hits", "particles", "truth"), require=("hits", "truth"))
                done += 1
                yield f"{path}/event{event_id}", process_event(event, fs_cfg)
        else:
            _, events = read_store(path)
            for event_id, arrays in events.items():
                if n_events is not None and done >= n_events:
                    return
                done += 1
                yield f"{path}:event {event_id}", arrays
    if n_events is not None and done < n_events:
        raise ValueError(f"module map: {n_events} events asked for, only {done} found in {list(inputs)}")
