"""``detectors.csv``: one row per module with its placement, size and pitch."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trackgnn.io import schema
from trackgnn.io.errors import TrackMLFormatError
from trackgnn.io.table import read_table
from trackgnn.utils.atomic import atomic_path

MODULE_KEY = ["volume_id", "layer_id", "module_id"]


def read_detectors(path: str | Path) -> pd.DataFrame:
    """Read and check a TrackML ``detectors.csv(.gz)``; module keys must be unique."""
    table = read_table(path, schema.DETECTORS, tuple(schema.DETECTORS))
    duplicated = table.duplicated(MODULE_KEY)
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        key = tuple(int(v) for v in table.loc[row, MODULE_KEY])
        raise TrackMLFormatError(path, f"line {row + 2}: module (volume, layer, module) {key} repeats")
    return table


def write_detectors(path: str | Path, detectors: pd.DataFrame) -> Path:
    """Write a detectors table atomically (``.gz`` suffix compresses)."""
    path = Path(path)
    missing = [c for c in schema.DETECTORS if c not in detectors.columns]
    if missing:
        raise ValueError(f"detectors frame lacks columns {missing}")
    with atomic_path(path) as tmp:
        detectors[list(schema.DETECTORS)].to_csv(
            tmp, index=False, float_format="%.9g", compression="gzip" if path.suffix == ".gz" else None
        )
    return path
