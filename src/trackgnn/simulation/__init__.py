"""Simulated TrackML events from ACTS (pyacts): Fatras in the TrackML detector, geometric
digitization with cells, noise and module inefficiency, written in TrackML CSV format.

Public API: :func:`simulate_events`, :func:`write_geometry`, :class:`SimulationConfig`,
:data:`MU200_PRESET`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trackgnn.simulation.config import SimulationConfig

__all__ = ["simulate_events", "write_geometry", "SimulationConfig", "MU200_PRESET"]

log = logging.getLogger(__name__)

#: Full TrackML occupancy (~10k particles, ~100k hits per event).
MU200_PRESET: dict[str, Any] = {"source": "pileup", "mu": 200.0, "particles_per_interaction": 42.0}


def write_geometry(out_dir: str | Path) -> Path:
    """Write ``detectors.csv`` of the simulated detector into ``out_dir`` (atomically)."""
    from trackgnn.io.detectors import write_detectors
    from trackgnn.simulation.geometry import detectors_table

    return write_detectors(Path(out_dir) / "detectors.csv", detectors_table())


def simulate_events(
    cfg: Mapping[str, Any] | SimulationConfig | None,
    out_dir: str | Path,
    event_ids: Sequence[int],
    seed: int,
    particles: str | Path | None = None,
    progress: bool = True,
) -> list[int]:
    """Simulate ``event_ids`` into ``out_dir`` as ``event<id>-{hits,cells,particles,truth}.csv``.

    Each event depends only on (config, seed, event id), so shards of ids can run in
    parallel and give the same files as one run. With ``source: particles``, event id ``e``
    replays the file ``event<e>-particles.csv[.gz]`` if present, else the ``e % n``-th of the
    ``n`` sorted particles files (either way sharding keeps the pairing).

    Returns the event ids written.
    """
    from tqdm import tqdm

    from trackgnn.io.trackml import write_event
    from trackgnn.simulation.event import simulate_event
    from trackgnn.simulation.particles import particle_files

    config = cfg if isinstance(cfg, SimulationConfig) else SimulationConfig.from_dict(cfg)
    files = particle_files(particles) if particles is not None else None
    if config.source == "particles" and files is None:
        raise ValueError("simulation.source is 'particles': pass particles=<file or directory>")
    ids = [int(e) for e in event_ids]
    if len(set(ids)) != len(ids) or any(e < 0 for e in ids):
        raise ValueError(f"event_ids must be distinct non-negative integers, got {list(event_ids)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for position, event_id in enumerate(tqdm(ids, desc="simulate", unit="event", disable=not progress)):
        start = time.perf_counter()
        frames = simulate_event(config, event_id, seed, files, _file_position(files, event_id, position))
        frames["truth"] = frames["truth"].drop(columns="order")
        write_event(out_dir, event_id, **frames)
        log.info(
            "event %d: %d particles, %d hits in %.2f s",
            event_id,
            len(frames["particles"]),
            len(frames["hits"]),
            time.perf_counter() - start,
        )
        written.append(event_id)
    return written


def _file_position(files, event_id: int, position: int) -> int:
    """Which particles file event ``event_id`` replays: the file named after it
    (``event<id>-particles.csv[.gz]``) when there is one, so that replaying real events keeps
    each real event's own particles; else file ``event_id % n``. Both depend on the id only,
    so sharding does not change the pairing."""
    if files is None:
        return position
    for index, path in enumerate(files):
        if path.name.split("-")[0] == f"event{int(event_id):09d}":
            return index
    return event_id
