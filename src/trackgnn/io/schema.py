"""Column contracts of the TrackML CSV files (names, order and dtypes)."""

from __future__ import annotations

HITS = {
    "hit_id": "int64",
    "x": "float32",
    "y": "float32",
    "z": "float32",
    "volume_id": "int32",
    "layer_id": "int32",
    "module_id": "int32",
}
CELLS = {"hit_id": "int64", "ch0": "int32", "ch1": "int32", "value": "float32"}
PARTICLES = {
    "particle_id": "int64",
    "vx": "float32",
    "vy": "float32",
    "vz": "float32",
    "px": "float32",
    "py": "float32",
    "pz": "float32",
    "q": "int32",
    "nhits": "int32",
}
TRUTH = {
    "hit_id": "int64",
    "particle_id": "int64",
    "tx": "float32",
    "ty": "float32",
    "tz": "float32",
    "tpx": "float32",
    "tpy": "float32",
    "tpz": "float32",
    "weight": "float32",
}
DETECTORS = {
    "volume_id": "int32",
    "layer_id": "int32",
    "module_id": "int32",
    **{name: "float64" for name in ("cx", "cy", "cz")},
    **{f"rot_{a}{b}": "float64" for a in "xyz" for b in "uvw"},
    **{name: "float64" for name in ("module_t", "module_minhu", "module_maxhu", "module_hv", "pitch_u", "pitch_v")},
}

#: Schema of each per-event file, keyed by the part name used in the file name.
PARTS = {"hits": HITS, "cells": CELLS, "particles": PARTICLES, "truth": TRUTH}

#: Columns that must hold finite numbers (NaN/inf is a format error).
FINITE_COLUMNS = {
    "hits": ("x", "y", "z"),
    "cells": ("value",),
    "particles": ("vx", "vy", "vz", "px", "py", "pz"),
    "truth": ("tx", "ty", "tz", "tpx", "tpy", "tpz", "weight"),
}
