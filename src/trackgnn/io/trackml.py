"""TrackML events on disk: ``event<9-digit id>-<part>.csv[.gz]`` with part in hits, cells,
particles, truth.

The reader works unchanged on the official Kaggle files (gzip or plain) and on the files
that ``trackgnn simulate`` writes; it checks each table and the links between them.
Columns beyond the contract (e.g. ``particle_type`` from ACTS's CSV writer) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io import schema
from trackgnn.io.errors import TrackMLFormatError
from trackgnn.io.table import read_table
from trackgnn.utils.atomic import atomic_path

_EVENT_RE = re.compile(r"^event(\d+)-(hits|cells|particles|truth)\.csv(\.gz)?$")
ALL_PARTS = ("hits", "cells", "particles", "truth")


@dataclass
class Event:
    """The tables of one event; parts that were not read (or do not exist) are ``None``."""

    event_id: int
    hits: pd.DataFrame
    cells: pd.DataFrame | None = None
    particles: pd.DataFrame | None = None
    truth: pd.DataFrame | None = None

    @property
    def has_truth(self) -> bool:
        return self.truth is not None


def event_file(directory: str | Path, event_id: int, part: str) -> Path | None:
    """The path of one part of an event (``.csv`` preferred over ``.csv.gz``), or ``None``."""
    base = Path(directory) / f"event{int(event_id):09d}-{part}.csv"
    for candidate in (base, base.with_name(base.name + ".gz")):
        if candidate.exists():
            return candidate
    return None


def list_event_ids(directory: str | Path, part: str = "hits") -> list[int]:
    """Sorted ids of the events in ``directory`` that have a ``part`` file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TrackMLFormatError(directory, "not a directory of TrackML events")
    ids = set()
    for path in directory.iterdir():
        match = _EVENT_RE.match(path.name)
        if match and match.group(2) == part:
            ids.add(int(match.group(1)))
    return sorted(ids)


def read_particles_file(path: str | Path) -> pd.DataFrame:
    """Read and check one ``particles.csv(.gz)`` file."""
    return read_table(path, schema.PARTICLES, schema.FINITE_COLUMNS["particles"], unique="particle_id")


def read_event(
    directory: str | Path,
    event_id: int,
    parts: Iterable[str] = ALL_PARTS,
    require: Iterable[str] = ("hits",),
) -> Event:
    """Read one event.

    Args:
        directory: folder holding the event's files.
        event_id: the number in ``event<id>-*.csv``.
        parts: which parts to read if present (``hits`` is always read).
        require: parts whose absence is an error (e.g. ``("hits", "truth")`` for training).

    Raises:
        TrackMLFormatError: a required file is missing, a table breaks its contract, or
            tables disagree (truth or cells naming hits that do not exist, ...).
    """
    parts = set(parts) | {"hits"}
    require = set(require) | {"hits"}
    unknown = (parts | require) - set(ALL_PARTS)
    if unknown:
        raise ValueError(f"unknown event part(s) {sorted(unknown)}; expected some of {ALL_PARTS}")
    tables: dict[str, pd.DataFrame | None] = {}
    for part in ALL_PARTS:
        path = event_file(directory, event_id, part)
        if path is None:
            if part in require:
                hits_path = event_file(directory, event_id, "hits")
                what = f"event {event_id} in {directory}" if hits_path is None else str(hits_path)
                raise TrackMLFormatError(
                    Path(directory) / f"event{int(event_id):09d}-{part}.csv",
                    f"file not found, but {part} is required for {what}",
                )
            tables[part] = None
            continue
        if part not in parts:
            tables[part] = None
            continue
        unique = {"hits": "hit_id", "truth": "hit_id", "particles": "particle_id"}.get(part)
        tables[part] = read_table(path, schema.PARTS[part], schema.FINITE_COLUMNS[part], unique=unique)
    event = Event(event_id=int(event_id), **tables)
    _check_links(Path(directory), event)
    return event


def read_events(directory: str | Path, **kwargs) -> Iterator[Event]:
    """Iterate over every event in ``directory`` in id order (keyword arguments as :func:`read_event`)."""
    ids = list_event_ids(directory)
    if not ids:
        raise TrackMLFormatError(directory, "no event*-hits.csv[.gz] files found")
    for event_id in ids:
        yield read_event(directory, event_id, **kwargs)


def _check_links(directory: Path, event: Event) -> None:
    hits_path = event_file(directory, event.event_id, "hits")
    if len(event.hits) == 0:
        raise TrackMLFormatError(hits_path, "event has no hits; expected at least one row")
    hit_ids = event.hits["hit_id"].to_numpy()
    for part in ("truth", "cells"):
        table = getattr(event, part)
        if table is None:
            continue
        unknown = ~np.isin(table["hit_id"].to_numpy(), hit_ids)
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            raise TrackMLFormatError(
                event_file(directory, event.event_id, part),
                f"line {row + 2}: hit_id {table['hit_id'].iat[row]} is not in {hits_path.name}",
            )
    if event.truth is not None:
        missing = ~np.isin(hit_ids, event.truth["hit_id"].to_numpy())
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise TrackMLFormatError(
                event_file(directory, event.event_id, "truth"),
                f"has no row for hit_id {hit_ids[row]} (line {row + 2} of {hits_path.name}); "
                "expected one truth row per hit",
            )
        if event.particles is not None:
            pids = event.truth["particle_id"].to_numpy()
            unknown = (pids != 0) & ~np.isin(pids, event.particles["particle_id"].to_numpy())
            if unknown.any():
                row = int(np.flatnonzero(unknown)[0])
                raise TrackMLFormatError(
                    event_file(directory, event.event_id, "truth"),
                    f"line {row + 2}: particle_id {pids[row]} is not in the particles file",
                )


def write_event(
    directory: str | Path,
    event_id: int,
    hits: pd.DataFrame,
    cells: pd.DataFrame | None = None,
    particles: pd.DataFrame | None = None,
    truth: pd.DataFrame | None = None,
    compress: bool = False,
) -> list[Path]:
    """Write the given parts of one event in TrackML format, each file atomically.

    Frames must hold the contract's columns (extra columns are an error, so that a
    stray helper column never leaks into a submission).
    """
    directory = Path(directory)
    written = []
    for part, frame in (("hits", hits), ("cells", cells), ("particles", particles), ("truth", truth)):
        if frame is None:
            continue
        columns = schema.PARTS[part]
        extra = [c for c in frame.columns if c not in columns]
        missing = [c for c in columns if c not in frame.columns]
        if extra or missing:
            raise ValueError(
                f"{part} frame for event {event_id}: missing {missing}, unexpected {extra}; "
                f"expected columns {list(columns)}"
            )
        path = directory / f"event{int(event_id):09d}-{part}.csv{'.gz' if compress else ''}"
        with atomic_path(path) as tmp:
            frame[list(columns)].astype(columns).to_csv(
                tmp,
                index=False,
                float_format="%.6g",
                # mtime 0: the same event gives byte-identical .gz files
                compression={"method": "gzip", "mtime": 0} if compress else None,
            )
        written.append(path)
    return written
