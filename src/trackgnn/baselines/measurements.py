"""TrackML hits -> ACTS measurements: geometry id, local (u, v) on the module, variances.

Pure NumPy on the module table of the ACTS geometry (:func:`trackgnn.simulation.geometry.
detectors_table`: global = R (u, v, w) + c), so the conversion is vectorised and needs no
ACTS call per hit. Hits must use the module numbering of that geometry, which is what
``trackgnn simulate`` writes (barrel module ids equal the official TrackML ones, endcap ids
do not: :mod:`trackgnn.io.module_identity` translates official ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.errors import TrackMLFormatError

_KEY = ["volume_id", "layer_id", "module_id"]
_ROT = [f"rot_{a}{b}" for a in "xyz" for b in "uvw"]
SQRT12 = np.sqrt(12.0)


@dataclass
class Measurements:
    """One event's measurements, sorted by geometry id (row i = ACTS measurement index i)."""

    hit_id: np.ndarray  # int64, the TrackML hit of each measurement
    geometry_id: np.ndarray  # uint64 ACTS geometry identifiers
    local: np.ndarray  # (n, 2) local u, v in mm
    variance: np.ndarray  # (n, 2) variances of u, v in mm^2

    def __len__(self) -> int:
        return len(self.hit_id)


def geometry_ids(volume, layer, module) -> np.ndarray:
    """ACTS geometry identifiers of sensitive modules (volume << 56 | layer << 36 | sensitive << 8)."""
    v, l, m = (np.asarray(a).astype(np.uint64) for a in (volume, layer, module))
    return (v << np.uint64(56)) | (l << np.uint64(36)) | (m << np.uint64(8))


def hits_to_measurements(
    hits: pd.DataFrame,
    modules: pd.DataFrame,
    cells: pd.DataFrame | None = None,
    resolution: str = "pitch",
    max_offsurface_mm: float = 1.0,
    source: str | Path | None = None,
    numbering: str = "ACTS",
) -> Measurements:
    """Project each hit onto its module.

    Args:
        hits: TrackML hits (``hit_id,x,y,z,volume_id,layer_id,module_id``).
        modules: the detectors table of the ACTS geometry (TrackML ``detectors.csv`` columns).
        cells: optional TrackML cells; with ``resolution='cluster'`` the cluster extent along
            each axis scales the pitch/sqrt(12) error.
        resolution: ``pitch`` or ``cluster``.
        max_offsurface_mm: larger distances from the module plane raise an error.
        source: the hits file, named in error messages.
        numbering: how the hits' module ids were obtained, named in error messages.

    Raises:
        TrackMLFormatError: a hit names a module the geometry lacks, or lies off its module.
    """
    table = modules.set_index(_KEY)
    index = pd.MultiIndex.from_frame(hits[_KEY])
    pos = table.index.get_indexer(index)
    if (pos < 0).any():
        row = int(np.flatnonzero(pos < 0)[0])
        volume, layer, module = (int(hits[c].iat[row]) for c in _KEY)
        raise TrackMLFormatError(
            source,
            f"line {row + 2}: hit_id {hits['hit_id'].iat[row]} is on volume {volume} layer {layer} "
            f"module {module}, which the ACTS GenericDetector does not have (columns volume_id, "
            "layer_id, module_id); expected an event written by 'trackgnn simulate'",
        )
    mod = table.iloc[pos]
    rot = mod[_ROT].to_numpy(np.float64).reshape(-1, 3, 3)
    offset = hits[["x", "y", "z"]].to_numpy(np.float64) - mod[["cx", "cy", "cz"]].to_numpy(np.float64)
    local = np.einsum("nij,ni->nj", rot, offset)  # R^T (x - c)
    off = np.abs(local[:, 2]) > max_offsurface_mm
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise TrackMLFormatError(
            source,
            f"line {row + 2}: hit_id {hits['hit_id'].iat[row]} lies {abs(local[row, 2]):.3g} mm from the "
            f"plane of its module (volume {hits['volume_id'].iat[row]}, layer {hits['layer_id'].iat[row]}, "
            f"module {hits['module_id'].iat[row]}, {numbering} numbering); at most {max_offsurface_mm} mm "
            "expected: the module numbering does not match the ACTS GenericDetector (official TrackML "
            "endcap ids differ: put the events' official detectors.csv next to them or pass --detectors)",
        )
    sigma = mod[["pitch_u", "pitch_v"]].to_numpy(np.float64) / SQRT12
    if resolution == "cluster" and cells is not None and len(cells):
        sigma = sigma * _cluster_extent(hits["hit_id"].to_numpy(), cells)
    elif resolution not in ("pitch", "cluster"):
        raise ValueError(f"resolution {resolution!r}; expected 'pitch' or 'cluster'")
    gid = geometry_ids(*(hits[c].to_numpy() for c in _KEY))
    order = np.argsort(gid, kind="stable")
    return Measurements(
        hit_id=hits["hit_id"].to_numpy(np.int64)[order],
        geometry_id=gid[order],
        local=np.ascontiguousarray(local[order, :2]),
        variance=np.ascontiguousarray(sigma[order] ** 2),
    )


def _cluster_extent(hit_id: np.ndarray, cells: pd.DataFrame) -> np.ndarray:
    """(n, 2) number of channels spanned along u (ch0) and v (ch1); 1 for hits without cells."""
    grouped = cells.groupby("hit_id").agg(u0=("ch0", "min"), u1=("ch0", "max"), v0=("ch1", "min"), v1=("ch1", "max"))
    grouped = grouped.reindex(hit_id)
    extent = np.stack(
        [(grouped["u1"] - grouped["u0"] + 1).to_numpy(), (grouped["v1"] - grouped["v0"] + 1).to_numpy()], axis=1
    )
    return np.nan_to_num(extent, nan=1.0).astype(np.float64)
