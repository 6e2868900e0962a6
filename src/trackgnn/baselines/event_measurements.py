"""One event's hits as ACTS measurements, in the module numbering ACTS knows: the step the
CKF baseline and the Kalman fit of GNN candidates share (read the hits, and cells when the
resolution needs them; translate official TrackML module ids; build the measurements)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)


def module_numbering(path: Path | None, modules):
    """The :class:`~trackgnn.io.module_identity.ModuleMap` to translate hits with, or ``None``
    when the events use the ACTS numbering (no detectors file, or one equal to ACTS's)."""
    from trackgnn.io.module_identity import module_identity

    if path is None:
        log.info("no detectors.csv with the events: assuming the ACTS GenericDetector module numbering")
        return None
    mapping = module_identity(path, modules)
    if mapping.is_identity:
        log.info("%s: ACTS module numbering", path)
        return None
    log.info(
        "%s: official TrackML module numbering; %d of %d module ids translated to ACTS",
        path,
        mapping.n_renumbered,
        len(mapping),
    )
    return mapping


def event_measurements(events_dir, event_id: int, modules, numbering, resolution: str, max_offsurface_mm: float):
    """``(hits, measurements, seconds reading, seconds converting)`` of one event.

    Args:
        modules: the ACTS detectors table.
        numbering: :func:`module_numbering` of the events (``None``: ACTS numbering).
        resolution, max_offsurface_mm: as :func:`~trackgnn.baselines.measurements.hits_to_measurements`.
    """
    from trackgnn.baselines.measurements import hits_to_measurements
    from trackgnn.io.trackml import event_file, read_event

    t0 = time.perf_counter()
    parts = ("hits", "cells") if resolution == "cluster" else ("hits",)
    event = read_event(events_dir, event_id, parts=parts, require=("hits",))
    t1 = time.perf_counter()
    source = event_file(events_dir, event_id, "hits")
    hits = event.hits
    if numbering is not None:
        hits = hits.assign(
            module_id=numbering.official_to_acts(
                hits["volume_id"].to_numpy(), hits["layer_id"].to_numpy(), hits["module_id"].to_numpy(), source=source
            )
        )
    meas = hits_to_measurements(
        hits,
        modules,
        cells=event.cells,
        resolution=resolution,
        max_offsurface_mm=max_offsurface_mm,
        source=source,
        numbering="official TrackML, translated to ACTS" if numbering is not None else "ACTS",
    )
    return hits, meas, t1 - t0, time.perf_counter() - t1
