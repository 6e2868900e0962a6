"""Per-hit coordinates and the named, normalised node features stacked into ``x``.

Coordinates of a hit at ``(x, y, z)`` (mm):

.. math::
    r = \\sqrt{x^2 + y^2},\\quad \\phi = \\operatorname{atan2}(y, x),\\quad
    \\eta = \\operatorname{asinh}(z / r)

A feature is a column of the per-hit frame times a fixed scale, so that the default
``[r, phi, z]`` gives ``[r/1000, phi/pi, z/1000]``, all of order one inside the detector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Feature:
    """A node feature: ``column * scale`` of the per-hit frame; ``cells`` if it needs cells."""

    column: str
    scale: float
    cells: bool = False
    doc: str = ""


FEATURES: dict[str, Feature] = {
    "r": Feature("r", 1e-3, doc="cylindrical radius / 1000 mm"),
    "phi": Feature("phi", 1 / np.pi, doc="azimuth / pi"),
    "z": Feature("z", 1e-3, doc="z / 1000 mm"),
    "eta": Feature("eta", 0.25, doc="hit pseudorapidity / 4"),
    "cell_count": Feature("cell_count", 0.1, cells=True, doc="number of cells / 10"),
    "cell_value": Feature("cell_value", 1.0, cells=True, doc="sum of cell charges"),
    "len_u": Feature("len_u", 1.0, cells=True, doc="cluster extent along u (mm)"),
    "len_v": Feature("len_v", 0.1, cells=True, doc="cluster extent along v / 10 mm"),
    "leta": Feature("leta", 0.25, cells=True, doc="pseudorapidity of the local direction / 4"),
    "lphi": Feature("lphi", 1 / np.pi, cells=True, doc="azimuth of the local direction / pi"),
    "geta": Feature("geta", 0.25, cells=True, doc="pseudorapidity of the global direction / 4"),
    "gphi": Feature("gphi", 1 / np.pi, cells=True, doc="azimuth of the global direction / pi"),
}


def cylindrical(hits: pd.DataFrame) -> dict[str, np.ndarray]:
    """``r, phi, z, eta`` (float32 [N]) of the hits (``x, y, z`` in mm)."""
    x = hits["x"].to_numpy(np.float64)
    y = hits["y"].to_numpy(np.float64)
    z = hits["z"].to_numpy(np.float64)
    r = np.hypot(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.arcsinh(np.where(r > 0, z / np.maximum(r, 1e-12), np.sign(z) * 1e9))
    return {
        "r": r.astype(np.float32),
        "phi": np.arctan2(y, x).astype(np.float32),
        "z": z.astype(np.float32),
        "eta": eta.astype(np.float32),
    }


def feature_matrix(columns: dict[str, np.ndarray], names: tuple[str, ...] | list[str], where: str = "") -> np.ndarray:
    """Stack the named features into ``x`` float32 [N, F].

    Args:
        columns: per-hit arrays by column name (coordinates and, with cells, cell features).
        names: feature names (keys of :data:`FEATURES`).
        where: text naming the event, for error messages.

    Raises:
        ValueError: a feature is unknown, or its column is absent from the data
            (e.g. a cell feature for an event without a cells file).
    """
    out = []
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"unknown feature '{name}'; known: {sorted(FEATURES)}")
        feature = FEATURES[name]
        if feature.column not in columns:
            need = " (it needs a cells file and detectors.csv)" if feature.cells else ""
            raise ValueError(f"feature '{name}' listed in config is missing from the data{need}{where}")
        out.append(np.asarray(columns[feature.column], dtype=np.float64) * feature.scale)
    n = len(next(iter(columns.values()))) if columns else 0
    if not out:
        return np.zeros((n, 0), dtype=np.float32)
    return np.stack(out, axis=1).astype(np.float32)
