"""JSON output that is valid JSON (no NaN) and written atomically."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from trackgnn.utils.atomic import atomic_write_text


def jsonable(value):
    """NumPy scalars/arrays to Python, NaN/inf to ``None`` (JSON has neither)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(value, sort_keys: bool = False) -> str:
    return json.dumps(jsonable(value), indent=2, sort_keys=sort_keys)


def write_json(path: str | Path, value, sort_keys: bool = False) -> Path:
    """Write ``value`` as indented JSON to ``path`` atomically."""
    atomic_write_text(path, dumps(value, sort_keys) + "\n")
    return Path(path)
