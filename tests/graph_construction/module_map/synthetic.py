"""A tiny synthetic barrel detector and events for the module-map tests.

Three layers (r = 30, 60, 90 mm, 4 / 6 / 8 modules in phi) of two z rings each
(module centres at z = -60 and +60, half length 60 mm); modules centred at phi = 2 pi k / n.
Particles leave one hit per layer on a curve phi = phi0 + c r, z = z_v + r cot(theta).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.feature_store.truth_graph import group_key, truth_edges

LAYERS = ((2, 30.0, 4), (4, 60.0, 6), (6, 90.0, 8))  # layer id, radius, modules in phi
RINGS_Z = (-60.0, 60.0)
VOLUME = 8


def detectors() -> pd.DataFrame:
    """A detectors table (all TrackML columns) of the synthetic barrel."""
    rows = []
    for layer, radius, n in LAYERS:
        module = 0
        for cz in RINGS_Z:
            for k in range(n):
                module += 1
                phi = 2 * np.pi * k / n
                c, s = np.cos(phi), np.sin(phi)
                rows.append(
                    {
                        "volume_id": VOLUME,
                        "layer_id": layer,
                        "module_id": module,
                        "cx": radius * c,
                        "cy": radius * s,
                        "cz": cz,
                        "rot_xu": -s,
                        "rot_xv": 0.0,
                        "rot_xw": c,
                        "rot_yu": c,
                        "rot_yv": 0.0,
                        "rot_yw": s,
                        "rot_zu": 0.0,
                        "rot_zv": 1.0,
                        "rot_zw": 0.0,
                        "module_t": 0.15,
                        "module_minhu": 8.0,
                        "module_maxhu": 8.0,
                        "module_hv": 60.0,
                        "pitch_u": 0.05,
                        "pitch_v": 0.05,
                    }
                )
    return pd.DataFrame(rows)


def module_of(layer_index: int, phi: np.ndarray, z: np.ndarray) -> np.ndarray:
    """module_id of hits at (phi, z) on layer ``LAYERS[layer_index]``."""
    n = LAYERS[layer_index][2]
    k = np.round(np.mod(phi, 2 * np.pi) / (2 * np.pi / n)).astype(np.int64) % n
    return 1 + k + n * (z >= 0)


def event(seed: int, n_particles: int = 40, n_noise: int = 20, pt_range=(0.5, 5.0)) -> dict:
    """Feature-store arrays (with truth) of one synthetic event."""
    rng = np.random.default_rng(seed)
    phi0 = rng.uniform(-np.pi, np.pi, n_particles)
    curv = rng.uniform(-2e-3, 2e-3, n_particles)
    zv = rng.normal(0, 5, n_particles)
    cot = rng.uniform(-1, 1, n_particles)
    cols = {k: [] for k in ("r", "phi", "z", "layer_id", "module_id", "particle_id", "pt")}
    pt = rng.uniform(*pt_range, n_particles)
    for index, (layer, radius, _) in enumerate(LAYERS):
        phi = np.angle(np.exp(1j * (phi0 + curv * radius)))
        z = zv + radius * cot
        cols["r"].append(np.full(n_particles, radius))
        cols["phi"].append(phi)
        cols["z"].append(z)
        cols["layer_id"].append(np.full(n_particles, layer))
        cols["module_id"].append(module_of(index, phi, z))
        cols["particle_id"].append(np.arange(1, n_particles + 1))
        cols["pt"].append(pt)
    for _ in range(n_noise):
        index = int(rng.integers(len(LAYERS)))
        phi, z = rng.uniform(-np.pi, np.pi), rng.uniform(-110, 110)
        cols["r"].append([LAYERS[index][1]])
        cols["phi"].append([phi])
        cols["z"].append([z])
        cols["layer_id"].append([LAYERS[index][0]])
        cols["module_id"].append(module_of(index, np.array([phi]), np.array([z])))
        cols["particle_id"].append([0])
        cols["pt"].append([0.0])
    arrays = {k: np.concatenate(v) for k, v in cols.items()}
    r, phi, z = (arrays[k].astype(np.float32) for k in ("r", "phi", "z"))
    n = len(r)
    out = {
        "hit_id": np.arange(1, n + 1),
        "x": np.column_stack([r / 1000, phi / np.pi, z / 1000]).astype(np.float32),
        "r": r,
        "phi": phi,
        "z": z,
        "eta": np.arcsinh(z / r).astype(np.float32),
        "volume_id": np.full(n, VOLUME, np.int32),
        "layer_id": arrays["layer_id"].astype(np.int32),
        "module_id": arrays["module_id"].astype(np.int32),
        "particle_id": arrays["particle_id"].astype(np.int64),
        "pt": arrays["pt"].astype(np.float32),
    }
    out["node_target"] = out["pt"] > 1.0
    out["truth_edges"] = truth_edges(
        out["particle_id"],
        out["r"].astype(np.float64),
        group_key(out["volume_id"], out["layer_id"], out["module_id"], "modulewise"),
    )
    out["truth_target"] = out["node_target"][out["truth_edges"][0]]
    return out
