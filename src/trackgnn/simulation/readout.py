"""Cells of the simulated hits from a charge-deposition and readout model, per volume.

ACTS's geometric digitisation gives each cell the path length the particle travelled in it
and keeps every touched cell. Real TrackML cells differ (FACTS section 9): strips are read
out binary (value 1.0 per cell), pixel endcap clusters are larger and carry twice the
charge, barrel clusters are wider along u and shorter along v. This module rebuilds the
cells of every ACTS measurement from its sim hits so that these differences can be tuned:

1. the straight path through the sensor (thickness ``module_t``, centred on the sim hit,
   along the local direction) is cut into sub-steps, each carrying its share of the path
   length (the deposited charge, in mm of silicon);
2. each sub-step's charge spreads over the cell grid as a Gaussian of widths
   ``cell_diffusion_u_mm`` / ``cell_diffusion_v_mm`` (drift diffusion and charge sharing);
3. every sim hit's charge fluctuates by a factor ``1 + cell_charge_smearing * N(0, 1)``
   (clipped at 0.05) (energy-loss fluctuations), which makes threshold crossings random;
4. cells with less than ``cell_threshold_mm`` of charge are not read out (a hit keeps at
   least its largest cell);
5. the value written is the charge times ``cell_charge_scale`` or, for volumes in
   ``binary_readout_volumes``, 1.0.

The cell grid is ACTS's (``ch0`` along u, ``ch1`` along v, bins of 2 * half-length / round(2 *
half-length / pitch)), so hit positions (from ACTS) and cells stay consistent. All per-volume
constants are calibrated with ``bench/cells_realism.py`` against FACTS section 9.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtr

from trackgnn.simulation.geometry import split_geometry_id

MAX_STEPS = 400  # sub-steps of one sim hit (a grazing track crossing hundreds of cells)
STEPS_PER_CELL = 3.0
TAIL = 1e-4
CHUNK = 20000  # measurements deposited at once
ROT = [f"rot_{a}{b}" for a in "xyz" for b in "uvw"]


@dataclass(frozen=True)
class ReadoutParams:
    """Per-volume readout constants (volume id -> value); see the module docstring."""

    diffusion_u: dict = field(default_factory=dict)
    diffusion_v: dict = field(default_factory=dict)
    threshold: dict = field(default_factory=dict)
    scale: dict = field(default_factory=dict)
    smearing: dict = field(default_factory=dict)
    binary: frozenset = frozenset()


def local_segments(simhits: pd.DataFrame, detectors: pd.DataFrame) -> pd.DataFrame:
    """Per sim hit: volume, module key, local (u, v), slopes du/dw and dv/dw, thickness and grid.

    Raises ``ValueError`` when a sim hit lies on a module missing from ``detectors``.
    """
    volume, layer, module = split_geometry_id(simhits["geometry_id"].to_numpy(np.uint64))
    table = detectors.set_index(["volume_id", "layer_id", "module_id"])
    index = table.index.get_indexer(pd.MultiIndex.from_arrays([volume, layer, module]))
    if (index < 0).any():
        bad = int(np.flatnonzero(index < 0)[0])
        raise ValueError(f"sim hit on module {(volume[bad], layer[bad], module[bad])} missing from the detectors table")
    mod = table.iloc[index]
    rot = mod[ROT].to_numpy().reshape(-1, 3, 3)
    pos = simhits[["tx", "ty", "tz"]].to_numpy() - mod[["cx", "cy", "cz"]].to_numpy()
    mom = simhits[["tpx", "tpy", "tpz"]].to_numpy()
    local = np.einsum("nij,ni->nj", rot, pos)  # R^T (x - c)
    direction = np.einsum("nij,ni->nj", rot, mom)
    dw = np.where(np.abs(direction[:, 2]) < 1e-6, 1e-6, direction[:, 2])
    half_u, half_v = mod["module_maxhu"].to_numpy(), mod["module_hv"].to_numpy()
    bins_u = np.maximum(1, np.rint(2 * half_u / mod["pitch_u"].to_numpy()))
    bins_v = np.maximum(1, np.rint(2 * half_v / mod["pitch_v"].to_numpy()))
    thickness = mod["module_t"].to_numpy()
    # a grazing track's path is bounded by the module itself
    slope_u = np.clip(direction[:, 0] / dw, -2 * half_u / thickness, 2 * half_u / thickness)
    slope_v = np.clip(direction[:, 1] / dw, -2 * half_v / thickness, 2 * half_v / thickness)
    return pd.DataFrame(
        {
            "volume": volume,
            "u": local[:, 0],
            "v": local[:, 1],
            "slope_u": slope_u,
            "slope_v": slope_v,
            "thickness": thickness,
            "half_u": half_u,
            "half_v": half_v,
            "width_u": 2 * half_u / bins_u,
            "width_v": 2 * half_v / bins_v,
            "bins_u": bins_u,
            "bins_v": bins_v,
        }
    )


def _spread(position, width, half, bins, sigma, reach):
    """(channel [n, 2*reach+1], fraction [n, 2*reach+1]) of Gaussian charge at ``position``."""
    centre = np.floor((position + half) / width)
    channel = centre[:, None] + np.arange(-reach, reach + 1)[None, :]
    low = -half[:, None] + channel * width[:, None]
    if sigma > 0:
        frac = ndtr((low + width[:, None] - position[:, None]) / sigma) - ndtr((low - position[:, None]) / sigma)
    else:
        frac = (channel == centre[:, None]).astype(float)
    inside = (channel >= 0) & (channel < bins[:, None])
    return channel, np.where(inside, frac, 0.0)


def deposit(
    seg: pd.DataFrame, owner: np.ndarray, sigma_u: float, sigma_v: float, charge_factor: np.ndarray
) -> pd.DataFrame:
    """Summed charge per (owner, ch0, ch1) of the segments ``seg`` of one volume."""
    if len(seg) == 0:
        return pd.DataFrame({"owner": [], "ch0": [], "ch1": [], "charge": []})
    t = seg["thickness"].to_numpy()
    su, sv = seg["slope_u"].to_numpy(), seg["slope_v"].to_numpy()
    wu, wv = seg["width_u"].to_numpy(), seg["width_v"].to_numpy()
    crossed = np.maximum(np.abs(su) * t / wu, np.abs(sv) * t / wv)
    steps = np.clip(np.ceil(crossed * STEPS_PER_CELL) + 1, 1, MAX_STEPS).astype(np.int64)
    row = np.repeat(np.arange(len(seg)), steps)
    first = np.repeat(np.cumsum(steps) - steps, steps)
    frac = (np.arange(len(row)) - first + 0.5) / steps[row] - 0.5  # -0.5 .. 0.5 through the sensor
    u = seg["u"].to_numpy()[row] + su[row] * t[row] * frac
    v = seg["v"].to_numpy()[row] + sv[row] * t[row] * frac
    length = t * np.sqrt(1.0 + su**2 + sv**2) * charge_factor
    charge = (length / steps)[row]
    reach_u = int(np.ceil(3 * sigma_u / wu.min())) if sigma_u > 0 else 0
    reach_v = int(np.ceil(3 * sigma_v / wv.min())) if sigma_v > 0 else 0
    ch0, f0 = _spread(u, wu[row], seg["half_u"].to_numpy()[row], seg["bins_u"].to_numpy()[row], sigma_u, reach_u)
    ch1, f1 = _spread(v, wv[row], seg["half_v"].to_numpy()[row], seg["bins_v"].to_numpy()[row], sigma_v, reach_v)
    n0, n1 = ch0.shape[1], ch1.shape[1]
    weight = (f0[:, :, None] * f1[:, None, :] * charge[:, None, None]).reshape(len(row), -1)
    keep = weight > TAIL * charge[:, None]  # Gaussian tails beyond ~3.7 sigma carry no cell
    cells = pd.DataFrame(
        {
            "owner": np.broadcast_to(owner[row][:, None], weight.shape)[keep],
            "ch0": np.broadcast_to(np.repeat(ch0, n1, axis=1), weight.shape)[keep].astype(np.int64),
            "ch1": np.broadcast_to(np.tile(ch1, (1, n0)), weight.shape)[keep].astype(np.int64),
            "charge": weight[keep],
        }
    )
    return cells.groupby(["owner", "ch0", "ch1"], as_index=False, sort=True)["charge"].sum()


def threshold_and_value(cells: pd.DataFrame, threshold: float, scale: float, binary: bool) -> pd.DataFrame:
    """Drop cells below ``threshold`` (each owner keeps its largest cell) and set ``value``."""
    if cells.empty:
        return cells.assign(value=[]).drop(columns="charge")
    keep = (cells["charge"] >= threshold).to_numpy().copy()
    keep[cells.index.get_indexer(cells.groupby("owner")["charge"].idxmax())] = True
    kept = cells[keep].copy()
    kept["value"] = 1.0 if binary else kept["charge"] * scale
    return kept.drop(columns="charge")


def readout_cells(
    simhits: pd.DataFrame, meas_simhits: pd.DataFrame, detectors: pd.DataFrame, params, rng: np.random.Generator
) -> pd.DataFrame:
    """Cells ``measurement_id, ch0, ch1, value`` of every measurement from its sim hits.

    ``params`` holds per-volume mappings ``diffusion_u``, ``diffusion_v``, ``threshold``,
    ``scale``, ``smearing`` and the set ``binary`` (see :class:`ReadoutParams`).
    """
    pairs = meas_simhits[["measurement_id", "hit_id"]].drop_duplicates()
    seg = local_segments(simhits.iloc[pairs["hit_id"].to_numpy()], detectors).reset_index(drop=True)
    owner = pairs["measurement_id"].to_numpy()
    factor = np.ones(len(seg))
    frames = []
    for volume in np.unique(seg["volume"]):
        sel = np.flatnonzero(seg["volume"].to_numpy() == volume)
        smear = params.smearing.get(int(volume), 0.0)
        if smear > 0:
            factor[sel] = np.maximum(0.05, 1.0 + smear * rng.standard_normal(len(sel)))
        owners = np.unique(owner[sel])
        for start in range(0, len(owners), CHUNK):  # bounded memory; a measurement never spans chunks
            part = sel[np.isin(owner[sel], owners[start : start + CHUNK])]
            cells = deposit(
                seg.iloc[part],
                owner[part],
                params.diffusion_u.get(int(volume), 0.0),
                params.diffusion_v.get(int(volume), 0.0),
                factor[part],
            )
            frames.append(
                threshold_and_value(
                    cells,
                    params.threshold.get(int(volume), 0.0),
                    params.scale.get(int(volume), 1.0),
                    int(volume) in params.binary,
                )
            )
    frames.append(_edge_cells(seg, owner, frames, params))
    out = pd.concat(frames, ignore_index=True).rename(columns={"owner": "measurement_id"})
    return out[["measurement_id", "ch0", "ch1", "value"]]


def _edge_cells(seg: pd.DataFrame, owner: np.ndarray, frames: list[pd.DataFrame], params) -> pd.DataFrame:
    """One cell under the sim hit for each measurement whose charge all fell off the grid
    (a sim hit on the module's very edge), so that every hit keeps a cell, as from ACTS."""
    have = np.concatenate([f["owner"].to_numpy() for f in frames]) if frames else np.array([], dtype=owner.dtype)
    missing = np.flatnonzero(~np.isin(owner, have))
    missing = missing[np.unique(owner[missing], return_index=True)[1]]
    edge = seg.iloc[missing]
    volume = edge["volume"].to_numpy()
    scale = np.array([params.scale.get(int(v), 1.0) for v in volume])
    charge = edge["thickness"].to_numpy() * np.sqrt(
        1 + edge["slope_u"].to_numpy() ** 2 + edge["slope_v"].to_numpy() ** 2
    )
    return pd.DataFrame(
        {
            "owner": owner[missing],
            "ch0": np.clip(np.floor((edge["u"] + edge["half_u"]) / edge["width_u"]), 0, edge["bins_u"] - 1).to_numpy(
                np.int64
            ),
            "ch1": np.clip(np.floor((edge["v"] + edge["half_v"]) / edge["width_v"]), 0, edge["bins_v"] - 1).to_numpy(
                np.int64
            ),
            "value": np.where(np.isin(volume, list(params.binary)), 1.0, charge * scale),
        }
    )
