"""Track-candidate files: ``event_id,hit_id,track_id`` CSV (the TrackML submission format)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.errors import TrackMLFormatError
from trackgnn.io.table import convert_column, read_csv
from trackgnn.utils.atomic import atomic_path


def read_tracks(path: str | Path) -> pd.DataFrame:
    """Read a tracks CSV with columns ``event_id,hit_id,track_id`` or ``hit_id,track_id``
    (in any order; plain or gzip), all int64; a hit listed twice in one event is an error."""
    path = Path(path)
    frame = read_csv(path, "a header event_id,hit_id,track_id or hit_id,track_id")
    columns = list(frame.columns)
    if sorted(columns) not in (["event_id", "hit_id", "track_id"], ["hit_id", "track_id"]):
        raise TrackMLFormatError(path, f"columns {columns}; expected event_id,hit_id,track_id or hit_id,track_id")
    columns = [c for c in ("event_id", "hit_id", "track_id") if c in columns]
    frame = pd.DataFrame({column: convert_column(path, frame[column], column, "int64") for column in columns})
    keys = ["event_id", "hit_id"] if "event_id" in columns else ["hit_id"]
    duplicated = frame.duplicated(keys)
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        event = f" of event {frame['event_id'].iat[row]}" if "event_id" in columns else ""
        raise TrackMLFormatError(
            path,
            f"line {row + 2}: hit_id {frame['hit_id'].iat[row]}{event} appears twice "
            f"({int(duplicated.sum())} repeated hit_id(s) in all); expected one track per hit",
        )
    return frame


def label_frame(event_id: int, hit_id: np.ndarray, track_id: np.ndarray) -> pd.DataFrame:
    """``event_id, hit_id, track_id`` of one event; track ids renumbered 0..n-1."""
    _, dense = np.unique(np.asarray(track_id), return_inverse=True)
    return pd.DataFrame({"event_id": int(event_id), "hit_id": np.asarray(hit_id, dtype=np.int64), "track_id": dense})


def write_tracks(path: str | Path, frames: list[pd.DataFrame]) -> Path:
    """Write the label frames of one or more events into one CSV, atomically."""
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["event_id", "hit_id", "track_id"])
    with atomic_path(path) as tmp:
        frame[["event_id", "hit_id", "track_id"]].to_csv(tmp, index=False)
    return Path(path)


def truth_reference_tracks(truth: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Tracks = true particles after detector effects; every noise hit is its own singleton.

    The upper bound a reconstruction is compared with, and a check of the metrics path
    end to end: by construction it scores 1 with efficiency 1 and no fakes or duplicates,
    so anything else reveals a bug in the files or the metrics.
    """
    hit_id = truth["hit_id"].to_numpy()
    pid = truth["particle_id"].to_numpy().astype(np.int64)
    track = pid.copy()
    noise = pid == 0
    track[noise] = -(np.arange(noise.sum()) + 1)
    return hit_id, track
