"""Truth-free hit density of a sample of TrackML events, per volume, layer and r/z bin.

A *sample* is every event of one or more folders (hits, and cells when present); densities
are hits per event so that samples of different sizes compare directly. Barrel layers are
binned along z and endcap disks along r (the coordinate that varies across the layer), with
bin edges shared by the two samples being compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.diagnostics.cells import per_hit
from trackgnn.io.trackml import list_event_ids, read_event

BARREL_VOLUMES = (8, 13, 17)
HIT_COLUMNS = ["volume_id", "layer_id", "x", "y", "z"]


@dataclass
class Sample:
    """Hits (with ``event, r``) of a set of events and the per-hit cell statistics, if any."""

    name: str
    events: list[str]
    hits: pd.DataFrame
    cells: pd.DataFrame | None  # per-hit statistics (diagnostics.cells.per_hit); None without cells

    @property
    def n_events(self) -> int:
        return len(self.events)


def load_sample(name: str, directories: Sequence[str | Path], event_ids: Iterable[int] | None = None) -> Sample:
    """Read every event (or ``event_ids``) of ``directories``; cells are used only if all events have them.

    Raises ``FileNotFoundError`` naming the folder when it holds no events (of ``event_ids``).
    """
    wanted = None if event_ids is None else set(int(e) for e in event_ids)
    hit_frames, cell_frames, events, all_cells = [], [], [], True
    for directory in directories:
        directory = Path(directory)
        ids = list_event_ids(directory)
        if wanted is not None:
            ids = [e for e in ids if e in wanted]
        if not ids:
            raise FileNotFoundError(
                f"{name} {directory}: no TrackML events (event<id>-hits.csv[.gz])"
                + (f" among ids {sorted(wanted)}" if wanted is not None else "")
            )
        for event_id in ids:
            event = read_event(directory, event_id, parts=("hits", "cells"))
            tag = f"{directory}:{event_id}"
            hits = event.hits[["hit_id"] + HIT_COLUMNS].assign(event=tag)
            hit_frames.append(hits)
            events.append(tag)
            if event.cells is None:
                all_cells = False
            elif all_cells:
                cell_frames.append(per_hit(event.hits, event.cells, where=f"{directory} event {event_id}"))
    hits = pd.concat(hit_frames, ignore_index=True)
    hits["r"] = np.hypot(hits["x"].to_numpy(), hits["y"].to_numpy())
    cells = pd.concat(cell_frames, ignore_index=True) if all_cells and cell_frames else None
    return Sample(name=name, events=events, hits=hits, cells=cells)


def per_event_counts(sample: Sample, keys: list[str]) -> pd.Series:
    """Hits per event grouped by ``keys``."""
    return sample.hits.groupby(keys).size() / sample.n_events


def layer_profiles(a: Sample, b: Sample, bins: int) -> dict[str, dict]:
    """Per layer ``v/l``: shared bin edges along z (barrel) or r (endcap) and hits per event of each sample."""
    both = pd.concat([a.hits[["volume_id", "layer_id", "r", "z"]], b.hits[["volume_id", "layer_id", "r", "z"]]])
    out = {}
    for (volume, layer), group in both.groupby(["volume_id", "layer_id"]):
        axis = "z" if volume in BARREL_VOLUMES else "r"
        lo, hi = float(group[axis].min()), float(group[axis].max())
        edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
        entry = {"axis": axis, "edges_mm": [round(float(e), 1) for e in edges]}
        for sample in (a, b):
            sel = sample.hits[(sample.hits["volume_id"] == volume) & (sample.hits["layer_id"] == layer)][axis]
            counts, _ = np.histogram(sel.to_numpy(), bins=edges)
            entry[sample.name] = [round(float(c) / sample.n_events, 2) for c in counts]
        out[f"{int(volume)}/{int(layer)}"] = entry
    return out
