"""Detector effects added after ACTS: module inefficiency and noise hits.

Both are per volume. The real TrackML events show about one noise hit per module per
event in every volume (electronic noise, independent of the particles). Noise hits are drawn uniformly over the modules' area (trapezoids
included), snapped to a pixel/strip cell centre, and get one cell each, so they look like
single-cell clusters and lie exactly on a module (local w = 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def drop_inefficient(volume: np.ndarray, inefficiency: dict[int, float], rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of hits kept, each lost with its volume's probability."""
    prob = np.zeros(len(volume))
    for vol, p in inefficiency.items():
        prob[volume == vol] = p
    return rng.random(len(volume)) >= prob


def noise_hits(
    detectors: pd.DataFrame, noise: dict[int, float], scale: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Noise hits: Poisson(scale * noise[v] * modules in v) per volume (noise per module).

    Returns ``x, y, z, volume_id, layer_id, module_id, ch0, ch1, value``.
    """
    frames = []
    for vol in sorted(noise):
        mods = detectors[detectors["volume_id"] == vol]
        expected = scale * noise[vol] * len(mods)
        n = int(rng.poisson(expected)) if expected > 0 else 0
        if n == 0:
            continue
        area = ((mods["module_minhu"] + mods["module_maxhu"]) * mods["module_hv"]).to_numpy()
        pick = mods.iloc[rng.choice(len(mods), size=n, p=area / area.sum())]
        minhu, maxhu, hv = (pick[c].to_numpy() for c in ("module_minhu", "module_maxhu", "module_hv"))
        pu, pv = pick["pitch_u"].to_numpy(), pick["pitch_v"].to_numpy()
        v = rng.uniform(-hv, hv)
        half_u = minhu + (maxhu - minhu) * (v + hv) / (2 * hv)
        u = rng.uniform(-1.0, 1.0, n) * half_u
        ch0 = np.floor((u + maxhu) / pu).astype(np.int64)
        ch1 = np.floor((v + hv) / pv).astype(np.int64)
        u = -maxhu + (ch0 + 0.5) * pu
        v = -hv + (ch1 + 0.5) * pv
        rot = pick[[f"rot_{a}{b}" for a in "xyz" for b in "uvw"]].to_numpy().reshape(n, 3, 3)
        centre = pick[["cx", "cy", "cz"]].to_numpy()
        xyz = rot[:, :, 0] * u[:, None] + rot[:, :, 1] * v[:, None] + centre
        frames.append(
            pd.DataFrame(
                {
                    "x": xyz[:, 0],
                    "y": xyz[:, 1],
                    "z": xyz[:, 2],
                    "volume_id": vol,
                    "layer_id": pick["layer_id"].to_numpy(),
                    "module_id": pick["module_id"].to_numpy(),
                    "ch0": ch0,
                    "ch1": ch1,
                    "value": rng.uniform(0.05, 1.0, n) * pick["module_t"].to_numpy(),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["x", "y", "z", "volume_id", "layer_id", "module_id", "ch0", "ch1", "value"])
    return pd.concat(frames, ignore_index=True)
