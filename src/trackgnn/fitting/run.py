"""``trackgnn fit-tracks``: Kalman-fit the GNN track candidates of every event of a folder.

Reads the events' hits (and cells, for ``resolution: cluster``) and a tracks CSV
(``event_id,hit_id,track_id``); truth is never read. Measurements and the module numbering
come from the ACTS chain of the CKF baseline (:mod:`trackgnn.baselines.measurements`,
:func:`trackgnn.baselines.run.find_detectors`), so official TrackML files work alike.
Every event of the folder is processed: an event without candidates gives no rows.
"""

from __future__ import annotations

import logging
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.fitting.config import FittingConfig
from trackgnn.fitting.select import PARAM_COLUMNS, REASONS, select_event

log = logging.getLogger(__name__)


def fit_events(
    events_dir: str | Path,
    tracks_path: str | Path,
    cfg: FittingConfig,
    bfield_t: float = 2.0,
    detectors: str | Path | None = None,
) -> tuple[list[pd.DataFrame], list[pd.DataFrame], dict]:
    """(label frames, parameter frames, metrics/timing summary), one frame per event.

    Raises:
        TrackMLFormatError: the tracks CSV names an event absent from ``events_dir``, or a
            hit absent from its event; the events folder holds no events.
    """
    from trackgnn.baselines.event_measurements import event_measurements, module_numbering
    from trackgnn.baselines.run import find_detectors
    from trackgnn.fitting.candidates import event_candidates
    from trackgnn.fitting.chain import run_fit_chain
    from trackgnn.io import list_event_ids
    from trackgnn.io.errors import TrackMLFormatError
    from trackgnn.simulation.geometry import acts_geometry, detectors_table
    from trackgnn.tracks import read_tracks

    events_dir, tracks_path = Path(events_dir), Path(tracks_path)
    ids = list_event_ids(events_dir)
    if not ids:
        raise TrackMLFormatError(events_dir, "no event*-hits.csv[.gz] files found")
    tracks = read_tracks(tracks_path)
    if "event_id" not in tracks.columns:
        raise TrackMLFormatError(tracks_path, "no event_id column; expected event_id,hit_id,track_id")
    unknown = sorted(set(tracks["event_id"].unique().tolist()) - set(ids))
    if unknown:
        raise TrackMLFormatError(
            tracks_path,
            f"event(s) {unknown[:5]} not in {events_dir}; expected the tracks of the events in --events-dir",
        )
    by_event = dict(tuple(tracks.groupby("event_id")))
    start = time.perf_counter()
    acts_geometry()
    modules = detectors_table()
    geometry_s = time.perf_counter() - start
    numbering = module_numbering(find_detectors(events_dir, detectors), modules)
    empty = pd.DataFrame({"hit_id": np.zeros(0, np.int64), "track_id": np.zeros(0, np.int64)})

    def load(i: int):
        hits, meas, read_s, convert_s = event_measurements(
            events_dir, ids[i], modules, numbering, cfg.resolution, cfg.max_offsurface_mm
        )
        t1 = time.perf_counter()
        candidates = event_candidates(
            by_event.get(ids[i], empty),
            meas.hit_id,
            hits,
            cfg.min_hits,
            source=tracks_path,
            event_id=ids[i],
            n_variants=cfg.seed_variants,
        )
        return ids[i], meas, candidates, read_s, convert_s + time.perf_counter() - t1

    records = run_fit_chain(cfg, bfield_t, len(ids), load)
    labels, params, per_event = [], [], []
    for record in records:
        t0 = time.perf_counter()
        frame, table, counts = select_event(record, cfg)
        select_s = time.perf_counter() - t0
        labels.append(frame)
        params.append(table)
        fit_s = record["convert_s"] + record["acts_s"] + select_s
        per_event.append(
            {
                "event_id": int(record["event_id"]),
                **counts,
                "read_s": record["read_s"],
                "convert_s": record["convert_s"],
                "acts_s": record["acts_s"],
                "acts_cpu_s": record["acts_cpu_s"],
                "select_s": select_s,
                "fit_s": fit_s,
            }
        )
        log.info(
            "event %d: %d candidates, %d fitted, %d kept, %.2f s",
            record["event_id"],
            counts["n_candidates"],
            counts["n_fitted"],
            counts["n_kept"],
            fit_s,
        )
    return labels, params, _summary(cfg, per_event, geometry_s, numbering is not None)


def _summary(cfg: FittingConfig, per_event: list[dict], geometry_s: float, official: bool) -> dict:
    fit = np.array([e["fit_s"] for e in per_event])
    dropped = {reason: int(sum(e["dropped"][reason] for e in per_event)) for reason in REASONS}
    return {
        "stage": "fit-tracks",
        "host": platform.node(),
        "geometry_s": geometry_s,
        "module_numbering": "official" if official else "acts",
        "n_events": len(per_event),
        "seconds_per_event": float(fit.mean()),
        "seconds_per_event_median": float(np.median(fit)),
        "acts_cpu_seconds_per_event": float(np.mean([e["acts_cpu_s"] for e in per_event])),
        "n_candidates": int(sum(e["n_candidates"] for e in per_event)),
        "n_fitted": int(sum(e["n_fitted"] for e in per_event)),
        "n_kept": int(sum(e["n_kept"] for e in per_event)),
        "dropped": dropped,
        "config": cfg.as_dict(),
        "note": "fit_s = hits->measurements + candidates + ACTS (space points, starting parameters, "
        "Kalman fit, extension, ambiguity resolution) + selection; CSV reading (read_s) and "
        "the one-off geometry build (geometry_s) excluded. Candidates = groups of >= 2 hits; "
        "dropped counts each candidate or track once, under the first failing rule "
        "(trackgnn.fitting.select).",
        "per_event": per_event,
    }


def run_fit_tracks(
    config_path, events_dir, tracks_path, out, params_path=None, timing_path=None, detectors=None
) -> dict:
    """Fit, then write the kept tracks, the parameters CSV and the timing JSON atomically."""
    from trackgnn.fitting.config import load_fitting_config
    from trackgnn.tracks import write_tracks
    from trackgnn.utils.atomic import atomic_path
    from trackgnn.utils.jsonio import write_json

    cfg, bfield_t = load_fitting_config(config_path)
    labels, params, summary = fit_events(events_dir, tracks_path, cfg, bfield_t, detectors)
    write_tracks(out, labels)
    if params_path:
        table = pd.concat(params, ignore_index=True) if params else pd.DataFrame(columns=PARAM_COLUMNS)
        with atomic_path(params_path) as tmp:
            table[PARAM_COLUMNS].to_csv(tmp, index=False)
    if timing_path:
        write_json(timing_path, summary)
    return summary
