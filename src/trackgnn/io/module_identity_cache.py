"""The cache of the module identity: one CSV per pair of detectors tables, named by their
digests, written atomically; a damaged entry is recomputed, an unwritable folder only warns."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.module_identity import _CENTRE, CACHE_ENV, COLUMNS, _key

log = logging.getLogger(__name__)


def table_digest(detectors: pd.DataFrame) -> str:
    """sha256 (16 hex digits) of a detectors table's module keys and centres (1 micron), in key order."""
    table = detectors.sort_values(["volume_id", "layer_id", "module_id"])
    keys = table[["volume_id", "layer_id", "module_id"]].to_numpy(np.int64)
    centres = np.round(table[_CENTRE].to_numpy(np.float64), 3) + 0.0  # + 0.0: no negative zeros
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(keys).tobytes())
    digest.update(np.ascontiguousarray(centres).tobytes())
    return digest.hexdigest()[:16]


def default_cache_dir() -> Path | None:
    """``$TRACKGNN_CACHE_DIR``, else ``$XDG_CACHE_HOME/trackgnn``, else ``~/.cache/trackgnn``;
    ``None`` when the variable is ``off``."""
    value = os.environ.get(CACHE_ENV)
    if value:
        return None if value.lower() in ("off", "0", "none") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "trackgnn"


def read_cache(path: Path, official: pd.DataFrame, acts: pd.DataFrame) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        table = pd.read_csv(path)
        if list(table.columns) != COLUMNS or len(table) != len(official):
            raise ValueError(f"columns {list(table.columns)}, {len(table)} rows")
        if not all(pd.api.types.is_integer_dtype(table[c]) for c in COLUMNS):
            raise ValueError("non-integer values")
        for column, frame in (("module_official", official), ("module_acts", acts)):
            if not np.array_equal(
                np.sort(_key(table["volume_id"], table["layer_id"], table[column])),
                np.sort(_key(frame["volume_id"], frame["layer_id"], frame["module_id"])),
            ):
                raise ValueError(f"{column} is not the modules of its table")
        return table.astype(np.int32)
    except Exception as exc:  # any damage: recompute and overwrite
        log.warning("module identity cache %s is unreadable (%s); recomputing it", path, exc)
        return None


def write_cache(path: Path, table: pd.DataFrame) -> None:
    from trackgnn.utils.atomic import atomic_path

    try:
        with atomic_path(path) as tmp:
            table[COLUMNS].to_csv(tmp, index=False)
    except OSError as exc:  # a read-only home or a full disk must not stop the caller
        log.warning("cannot cache the module identity in %s (%s)", path, exc)
