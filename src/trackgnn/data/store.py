"""HDF5 shard files: one group per event, one dataset per named array.

Layout: ``/events/<event_id>/<name>`` datasets and ``/events/<event_id>`` attributes for
scalars; file-level attributes (e.g. ``feature_names``, the stage config) on ``/``.
No pickles: only numeric arrays, strings and JSON-encoded attributes are stored, so a file
handed in by another user cannot execute code when read. Every event read is checked
against the shard contract (:mod:`trackgnn.data.checks`: array lengths, edge indices,
finite features and scores).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import h5py
import numpy as np

from trackgnn.data.checks import check_event
from trackgnn.utils.atomic import atomic_path


class StoreError(ValueError):
    """An HDF5 shard is missing, corrupt, truncated or lacks an expected array."""


def write_store(
    path: str | Path,
    events: Mapping[int, Mapping[str, np.ndarray]],
    attrs: Mapping[str, object] | None = None,
    event_attrs: Mapping[int, Mapping[str, object]] | None = None,
) -> Path:
    """Write ``{event_id: {name: array}}`` to ``path`` atomically (gzip-free, fast to read)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            for key, value in (attrs or {}).items():
                f.attrs[key] = json.dumps(value)
            root = f.create_group("events")
            for event_id, arrays in events.items():
                group = root.create_group(str(int(event_id)))
                for name, array in arrays.items():
                    group.create_dataset(name, data=np.asarray(array))
                for key, value in ((event_attrs or {}).get(event_id) or {}).items():
                    group.attrs[key] = json.dumps(value)
    return path


def _open(path: Path) -> h5py.File:
    if not path.exists():
        raise StoreError(f"{path}: file not found")
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        raise StoreError(f"{path}: not a readable HDF5 file (corrupt or truncated?): {exc}") from None


def read_store(path: str | Path, names: Iterable[str] | None = None) -> tuple[dict, dict[int, dict]]:
    """Read a whole shard: ``(file_attrs, {event_id: {name: array, "_attrs": {...}}})``.

    Args:
        names: arrays to read (all when ``None``); a missing one is a :class:`StoreError`.
    """
    path = Path(path)
    with _open(path) as f:
        attrs = {k: json.loads(v) for k, v in f.attrs.items()}
        if "events" not in f:
            raise StoreError(f"{path}: no /events group; expected a trackgnn HDF5 shard")
        events = {}
        for key in sorted(f["events"], key=int):
            events[int(key)] = _read_group(path, f["events"][key], names)
    return attrs, events


def read_event_arrays(path: str | Path, event_id: int, names: Iterable[str] | None = None) -> dict:
    """Read one event of a shard."""
    path = Path(path)
    with _open(path) as f:
        try:
            group = f["events"][str(int(event_id))]
        except KeyError:
            raise StoreError(f"{path}: event {event_id} not found") from None
        return _read_group(path, group, names)


def _read_group(path: Path, group: h5py.Group, names: Iterable[str] | None) -> dict:
    wanted = list(group) if names is None else list(names)
    out: dict = {}
    for name in wanted:
        if name not in group:
            raise StoreError(
                f"{path}: event {group.name.rsplit('/', 1)[-1]} has no array '{name}'; it has {sorted(group)}"
            )
        try:
            out[name] = group[name][()]
        except (OSError, KeyError) as exc:
            raise StoreError(f"{path}: array '{name}' of {group.name} cannot be read: {exc}") from None
    # lengths, edge indices and finite features/scores of what was read: a corrupt or
    # inconsistent shard fails here, naming itself, not deep inside a later stage
    check_event(out, f"{path} event {group.name.rsplit('/', 1)[-1]}")
    out["_attrs"] = {k: json.loads(v) for k, v in group.attrs.items()}
    return out
