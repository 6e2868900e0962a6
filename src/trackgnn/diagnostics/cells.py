"""Per-hit cluster statistics from TrackML ``cells`` (truth-free), aggregated per volume or layer.

The four statistics are those of FACTS section 9: cells per hit, summed ``value`` per hit,
and the extent (max - min + 1) of the cluster along ``ch0`` and along ``ch1``. They are
what the cell features of the feature store are built from, so a mismatch here between
real and simulated events is a mismatch in the models' inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.diagnostics.reference import CELL_STATS

CELL_COLUMNS = ("hit_id", "ch0", "ch1", "value")


def per_hit(hits: pd.DataFrame, cells: pd.DataFrame, where: str = "cells") -> pd.DataFrame:
    """One row per hit that has cells: ``hit_id, volume_id, layer_id`` and :data:`CELL_STATS`.

    Raises ``ValueError`` naming ``where`` when ``cells`` lacks a column or refers to hits
    that are not in ``hits``.
    """
    missing = [c for c in CELL_COLUMNS if c not in cells.columns]
    if missing:
        raise ValueError(f"{where}: missing column(s) {missing}; expected {list(CELL_COLUMNS)}")
    grouped = cells.groupby("hit_id", sort=True)
    stats = pd.DataFrame(
        {
            "cells_per_hit": grouped.size(),
            "value_per_hit": grouped["value"].sum(),
            "extent_ch0": grouped["ch0"].max() - grouped["ch0"].min() + 1,
            "extent_ch1": grouped["ch1"].max() - grouped["ch1"].min() + 1,
        }
    )
    geo = hits.set_index("hit_id")[["volume_id", "layer_id"]]
    unknown = ~stats.index.isin(geo.index)
    if unknown.any():
        raise ValueError(
            f"{where}: {int(unknown.sum())} hit id(s) not in the hits file, e.g. {int(stats.index[unknown][0])}"
        )
    stats = stats.join(geo, how="left")
    return stats.reset_index()


def summarise(table: pd.DataFrame, keys: list[str]) -> dict:
    """Mean of each statistic and the hit count per group of ``keys`` (JSON-ready dict)."""
    if table.empty:
        return {}
    means = table.groupby(keys)[list(CELL_STATS)].mean()
    counts = table.groupby(keys).size()
    out = {}
    for key, row in means.iterrows():
        name = "/".join(str(int(k)) for k in np.atleast_1d(key))
        out[name] = {"hits": int(counts.loc[key]), **{s: round(float(row[s]), 4) for s in CELL_STATS}}
    return out
