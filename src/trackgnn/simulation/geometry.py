"""The TrackML detector as built by ACTS (``GenericDetector``), in TrackML terms.

ACTS builds the geometry once per process (~1 s); everything derived from it (the
``detectors.csv`` table, the per-module digitization segmentation) is cached here.
Module positions and barrel module ids equal the official TrackML ``detectors.csv``;
endcap module numbering follows ACTS and differs from the official file, so always
pair simulated events with the ``detectors.csv`` written by :func:`detectors_table`.
:mod:`trackgnn.io.module_identity` maps official module ids onto these.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd

#: Pitch (u, v) in mm per volume, from the official TrackML detectors table.
PITCH = {
    7: (0.05, 0.05625),
    8: (0.05, 0.05625),
    9: (0.05, 0.05625),
    12: (0.08, 1.2),
    13: (0.08, 1.2),
    14: (0.08, 1.2),
    16: (0.12, 10.4),
    17: (0.12, 10.8),
    18: (0.12, 10.4),
}

GEOMETRY_ID_FIELDS = "volume = id >> 56, layer = (id >> 36) & 0xfff, module = (id >> 8) & 0xfffff"


def split_geometry_id(geometry_id) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(volume, layer, module) arrays from ACTS 64-bit geometry identifiers."""
    g = np.asarray(geometry_id, dtype=np.uint64)
    volume = (g >> np.uint64(56)).astype(np.int64)
    layer = ((g >> np.uint64(36)) & np.uint64(0xFFF)).astype(np.int64)
    module = ((g >> np.uint64(8)) & np.uint64(0xFFFFF)).astype(np.int64)
    return volume, layer, module


@functools.lru_cache(maxsize=1)
def acts_geometry():
    """(detector, tracking geometry); the detector object must stay alive with the geometry."""
    import acts
    import acts.examples

    cfg = acts.examples.GenericDetector.Config()
    cfg.logLevel = acts.logging.WARNING
    cfg.volumeLogLevel = acts.logging.WARNING
    cfg.layerLogLevel = acts.logging.WARNING
    cfg.surfaceLogLevel = acts.logging.WARNING
    detector = acts.examples.GenericDetector(cfg)
    return detector, detector.trackingGeometry()


def _half_lengths(bounds: list[float]) -> tuple[float, float, float]:
    """(min half-u, max half-u, half-v) of rectangle or trapezoid bounds."""
    if len(bounds) == 4 and bounds[0] < 0:  # rectangle: min x, min y, max x, max y
        return bounds[2], bounds[2], bounds[3]
    return bounds[0], bounds[1], bounds[2]  # trapezoid: half x at -y, half x at +y, half y


@functools.lru_cache(maxsize=1)
def detectors_table() -> pd.DataFrame:
    """One row per sensitive module in the TrackML ``detectors.csv`` columns.

    Computed from the ACTS surfaces: global = R (u, v, w) + c with R the surface rotation.
    """
    import acts

    _, geometry = acts_geometry()
    gctx = acts.GeometryContext.dangerouslyDefaultConstruct()
    surfaces = []
    geometry.visitSurfaces(surfaces.append)
    rows = []
    for surface in surfaces:
        gid = surface.geometryId
        transform = surface.localToGlobalTransform(gctx)
        rot = transform.rotation
        rot = np.array([[rot[(i, j)] for j in range(3)] for i in range(3)])
        centre = np.array(transform.translation)
        minhu, maxhu, hv = _half_lengths(list(surface.bounds.values()))
        pu, pv = PITCH[gid.volume]
        rows.append(
            (gid.volume, gid.layer, gid.sensitive, *centre, *rot.ravel(), surface.thickness, minhu, maxhu, hv, pu, pv)
        )
    columns = ["volume_id", "layer_id", "module_id", "cx", "cy", "cz"]
    columns += [f"rot_{a}{b}" for a in "xyz" for b in "uvw"]
    columns += ["module_t", "module_minhu", "module_maxhu", "module_hv", "pitch_u", "pitch_v"]
    table = pd.DataFrame(rows, columns=columns)
    table["module_t"] = table["module_t"].astype(np.float32).round(4).astype(np.float64)
    return table.sort_values(["volume_id", "layer_id", "module_id"], ignore_index=True)


def digitization_json(path: str | Path, mode: str = "geometric") -> Path:
    """Write the ACTS digitization config for every sensitive module.

    ``geometric``: a pixel grid with the volume's pitch covering the module (cells and
    clusters; ``ch0`` counts along u, ``ch1`` along v). ``smearing``: Gaussian smearing of
    the true position by pitch/sqrt(12) (no clustering; each hit gets one synthetic cell).
    The per-surface entries are needed because ACTS's ``DigitizationConfigurator`` in
    pyacts 48.1.0 keeps the input bin count instead of the pitch.
    """
    table = detectors_table()
    entries = []
    for row in table.itertuples(index=False):
        pu, pv = row.pitch_u, row.pitch_v
        hu, hv = row.module_maxhu, row.module_hv
        if mode == "geometric":
            value = {
                "geometric": {
                    "digital": False,
                    "indices": [0, 1],
                    "segmentation": {
                        "binningdata": [
                            _axis("AxisX", hu, pu),
                            _axis("AxisY", hv, pv),
                        ]
                    },
                    "thickness": float(row.module_t),
                    "threshold": 0.0,
                }
            }
        elif mode == "smearing":
            value = {
                "smearing": [
                    {"index": 0, "mean": 0.0, "stddev": pu / np.sqrt(12.0), "type": "Gauss"},
                    {"index": 1, "mean": 0.0, "stddev": pv / np.sqrt(12.0), "type": "Gauss"},
                ]
            }
        else:
            raise ValueError(f"digitization mode {mode!r}; expected 'geometric' or 'smearing'")
        entries.append(
            {"volume": int(row.volume_id), "layer": int(row.layer_id), "sensitive": int(row.module_id), "value": value}
        )
    doc = {
        "acts-geometry-hierarchy-map": {"format-version": 0, "value-identifier": "digitization-configuration"},
        "entries": entries,
    }
    path = Path(path)
    path.write_text(json.dumps(doc))
    return path


def _axis(name: str, half: float, pitch: float) -> dict:
    bins = max(1, int(round(2.0 * half / pitch)))
    return {"bins": bins, "min": -half, "max": half, "option": "open", "type": "equidistant", "value": name}
