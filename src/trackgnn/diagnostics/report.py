"""The diagnostics report: two samples (events under study and a reference) side by side.

Every ratio is ``reference / events`` (with real data as reference and simulated events
under study: real / simulated, above 1 where the simulation has too few hits or too small
clusters). Only hits and cells are read, never truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.diagnostics.cells import summarise
from trackgnn.diagnostics.density import Sample, layer_profiles, per_event_counts
from trackgnn.diagnostics.reference import CELL_STATS


def _ratio(reference: float, events: float) -> float | None:
    return round(reference / events, 4) if events > 0 else None


def _density_table(events: Sample, reference: Sample, keys: list[str]) -> dict[str, dict]:
    table = pd.DataFrame(
        {"events": per_event_counts(events, keys), "reference": per_event_counts(reference, keys)}
    ).fillna(0.0)
    out = {}
    for key, row in table.iterrows():
        name = "/".join(str(int(k)) for k in np.atleast_1d(key))
        out[name] = {
            "events": round(float(row["events"]), 2),
            "reference": round(float(row["reference"]), 2),
            "ratio": _ratio(float(row["reference"]), float(row["events"])),
        }
    return out


def _cells_table(events: Sample, reference: Sample, keys: list[str]) -> dict | None:
    if events.cells is None and reference.cells is None:
        return None
    sides = {s.name: (summarise(s.cells, keys) if s.cells is not None else None) for s in (events, reference)}
    names = sorted(set().union(*(d.keys() for d in sides.values() if d)), key=lambda n: [int(p) for p in n.split("/")])
    out = {}
    for name in names:
        entry = {side: (stats or {}).get(name) for side, stats in sides.items()}
        if entry["events"] and entry["reference"]:
            entry["ratio"] = {s: _ratio(entry["reference"][s], entry["events"][s]) for s in CELL_STATS}
        out[name] = entry
    return out


def build_report(events: Sample, reference: Sample, bins: int = 10) -> dict:
    """The JSON-ready report (see the module docstring for the ratio convention)."""
    volumes = _density_table(events, reference, ["volume_id"])
    layers = _density_table(events, reference, ["volume_id", "layer_id"])
    ratios = [v["ratio"] for v in layers.values() if v["ratio"] is not None]
    return {
        "ratio": "reference / events",
        "events": {"n_events": events.n_events, "ids": events.events, "has_cells": events.cells is not None},
        "reference": {
            "n_events": reference.n_events,
            "ids": reference.events,
            "has_cells": reference.cells is not None,
        },
        "hits_per_event": {
            "events": round(len(events.hits) / events.n_events, 1),
            "reference": round(len(reference.hits) / reference.n_events, 1),
            "ratio": _ratio(len(reference.hits) / reference.n_events, len(events.hits) / events.n_events),
        },
        "per_volume": volumes,
        "per_layer": layers,
        "worst_layer_ratio": {"min": min(ratios) if ratios else None, "max": max(ratios) if ratios else None},
        "profiles": layer_profiles(events, reference, bins),
        "cells_per_volume": _cells_table(events, reference, ["volume_id"]),
        "cells_per_layer": _cells_table(events, reference, ["volume_id", "layer_id"]),
    }
