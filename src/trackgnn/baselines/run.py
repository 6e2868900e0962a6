"""``trackgnn acts-ckf``: every event of a folder through ACTS seeding + CKF -> tracks CSV.

Reads only the hits (and cells, for ``resolution: cluster``) of each event: truth and
particles are never used, so events without truth (the official test files) reconstruct
alike. Module positions come from the ACTS GenericDetector. The events' ``detectors.csv``
(given, or found in the events folder or its parent) only decides the module numbering:
official TrackML files number the endcap modules differently from ACTS, so their hits are
translated to ACTS module ids (:mod:`trackgnn.io.module_identity`, cached); events written by
``trackgnn simulate`` already use the ACTS numbering (the mapping is the identity).
"""

from __future__ import annotations

import logging
import platform
import time
from pathlib import Path

import numpy as np

from trackgnn.baselines.config import ActsCkfConfig
from trackgnn.baselines.labels import hit_labels

log = logging.getLogger(__name__)


def find_detectors(events_dir: str | Path, explicit: str | Path | None = None) -> Path | None:
    """``explicit`` if given (it must exist), else ``detectors.csv[.gz]`` in ``events_dir`` or
    its parent, else (events linked by ``trackgnn link-events``) next to or one folder above
    the file a linked hits file points to."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise FileNotFoundError(f"--detectors: {path} does not exist")
        return path
    events_dir = Path(events_dir)
    folders = [events_dir, events_dir.parent]
    linked = next((p for p in sorted(events_dir.glob("event*-hits.csv*")) if p.is_symlink()), None)
    if linked is not None:
        target = linked.resolve().parent
        folders += [target, target.parent]
    for folder in folders:
        for name in ("detectors.csv", "detectors.csv.gz"):
            if (folder / name).exists():
                return folder / name
    return None


def reconstruct_events(
    events_dir: str | Path,
    cfg: ActsCkfConfig,
    bfield_t: float = 2.0,
    event_ids: list[int] | None = None,
    detectors: str | Path | None = None,
) -> tuple[list, dict]:
    """(label frames ``event_id,hit_id,track_id`` per event, timing summary).

    ``detectors``: the events' ``detectors.csv[.gz]`` (default: :func:`find_detectors`); when
    its module numbering differs from ACTS's (official TrackML files), hit module ids are
    translated. Without one, hits must use the ACTS numbering.

    Timing: ``geometry_s`` (ACTS geometry build, once), per event ``read_s`` (CSV reading,
    not counted as reconstruction) and ``reco_s`` = hits -> measurements + ACTS chain +
    labelling; ``seconds_per_event`` is the mean ``reco_s``.
    """
    from trackgnn.baselines.acts_chain import run_chain
    from trackgnn.baselines.event_measurements import event_measurements, module_numbering
    from trackgnn.io import list_event_ids
    from trackgnn.io.errors import TrackMLFormatError
    from trackgnn.simulation.geometry import acts_geometry, detectors_table
    from trackgnn.tracks import label_frame

    events_dir = Path(events_dir)
    ids = list_event_ids(events_dir) if event_ids is None else list(event_ids)
    if not ids:
        raise TrackMLFormatError(events_dir, "no event*-hits.csv[.gz] files found")
    start = time.perf_counter()
    acts_geometry()
    modules = detectors_table()
    geometry_s = time.perf_counter() - start
    start = time.perf_counter()
    numbering = module_numbering(find_detectors(events_dir, detectors), modules)
    numbering_s = time.perf_counter() - start

    def load(i: int):
        _, meas, read_s, convert_s = event_measurements(
            events_dir, ids[i], modules, numbering, cfg.resolution, cfg.max_offsurface_mm
        )
        return ids[i], meas, read_s, convert_s

    records = run_chain(cfg, bfield_t, len(ids), load)
    frames, per_event = [], []
    for record in records:
        t0 = time.perf_counter()
        labels = hit_labels(len(record["hit_id"]), record["tracks"])
        frames.append(label_frame(record["event_id"], record["hit_id"], labels))
        label_s = time.perf_counter() - t0
        reco_s = record["convert_s"] + record["ckf_s"] + label_s
        n_tracks = len(record["tracks"])
        per_event.append(
            {
                "event_id": record["event_id"],
                "n_hits": int(len(record["hit_id"])),
                "n_tracks": n_tracks,
                "read_s": record["read_s"],
                "convert_s": record["convert_s"],
                "acts_s": record["ckf_s"],
                "acts_cpu_s": record["ckf_cpu_s"],
                "label_s": label_s,
                "reco_s": reco_s,
            }
        )
        log.info("event %d: %d hits, %d tracks, %.2f s", record["event_id"], len(record["hit_id"]), n_tracks, reco_s)
    reco = np.array([e["reco_s"] for e in per_event])
    cpu = np.array([e["acts_cpu_s"] for e in per_event])
    timing = {
        "stage": "acts-ckf",
        "threads": cfg.threads,
        "host": platform.node(),
        "geometry_s": geometry_s,
        "module_numbering": "official" if numbering is not None else "acts",
        "module_numbering_s": numbering_s,
        "n_events": len(per_event),
        "seconds_per_event": float(reco.mean()),
        "seconds_per_event_median": float(np.median(reco)),
        "acts_cpu_seconds_per_event": float(cpu.mean()),
        "note": "reco_s = hits->measurements + ACTS seeding/CKF/ambiguity + labelling; CSV reading "
        "(read_s) and the one-off geometry build (geometry_s) excluded. Wall times include "
        "contention from other processes; acts_cpu_s is the process CPU time of the ACTS "
        "part (all threads: per event only when threads = 1).",
        "per_event": per_event,
    }
    return frames, timing


def run_acts_ckf(config_path, events_dir, out, timing_path=None, event_ids=None, detectors=None) -> dict:
    """Reconstruct, then write the tracks CSV (and timing JSON) atomically; returns the timing."""
    from trackgnn.baselines.config import load_baseline_config
    from trackgnn.tracks import write_tracks
    from trackgnn.utils.jsonio import write_json

    cfg, bfield_t = load_baseline_config(config_path)
    frames, timing = reconstruct_events(events_dir, cfg, bfield_t, event_ids, detectors)
    write_tracks(out, frames)
    if timing_path:
        timing["config"] = {k: list(v) if isinstance(v, tuple) else v for k, v in vars(cfg).items()}
        write_json(timing_path, timing)
    return timing
