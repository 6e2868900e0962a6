"""Tiny hand-built TrackML events for unit tests: helices from the origin through barrel
layers in a 2 T field, plus noise; cells and a matching detectors table."""

from __future__ import annotations

import numpy as np
import pandas as pd

RADII = (32.0, 72.0, 116.0, 172.0, 260.0, 360.0, 500.0, 660.0, 820.0, 1020.0)
N_PHI = 32  # modules per layer in phi
N_Z = 8  # modules per layer in z (|z| < 1000)


def module_of(phi: np.ndarray, z: np.ndarray) -> np.ndarray:
    iphi = np.floor((phi + np.pi) / (2 * np.pi) * N_PHI).astype(int) % N_PHI
    iz = np.clip(np.floor((z + 1000) / 2000 * N_Z).astype(int), 0, N_Z - 1)
    return 1 + iphi * N_Z + iz


def make_event(seed: int, n_particles: int = 30, n_noise: int = 20, cells: bool = True) -> dict[str, pd.DataFrame]:
    """``{"hits", "particles", "truth", "cells"}`` frames of one toy event."""
    rng = np.random.default_rng(seed)
    pids = np.arange(1, n_particles + 1, dtype=np.int64) << 36
    pt = rng.uniform(0.4, 5.0, n_particles)
    phi0 = rng.uniform(-np.pi, np.pi, n_particles)
    eta = rng.uniform(-0.8, 0.8, n_particles)
    q = rng.choice([-1, 1], n_particles)
    pz = pt * np.sinh(eta)
    particles = pd.DataFrame(
        {
            "particle_id": pids,
            "vx": 0.0,
            "vy": 0.0,
            "vz": 0.0,
            "px": pt * np.cos(phi0),
            "py": pt * np.sin(phi0),
            "pz": pz,
            "q": q,
            "nhits": 0,
        }
    )
    rows = []
    for p in range(n_particles):
        radius_c = 1000 * pt[p] / (0.2998 * 2.0)
        for layer, r in enumerate(RADII):
            if r >= 2 * radius_c:
                break
            phi = phi0[p] - q[p] * np.arcsin(r / (2 * radius_c))
            z = r * np.sinh(eta[p])
            if abs(z) > 1000:
                break
            rows.append((pids[p], r * np.cos(phi), r * np.sin(phi), z, 2 * layer + 2))
    for _ in range(n_noise):
        layer = rng.integers(len(RADII))
        phi, z = rng.uniform(-np.pi, np.pi), rng.uniform(-900, 900)
        rows.append((0, RADII[layer] * np.cos(phi), RADII[layer] * np.sin(phi), z, 2 * layer + 2))
    frame = pd.DataFrame(rows, columns=["particle_id", "x", "y", "z", "layer_id"])
    frame = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    n = len(frame)
    hit_id = np.arange(1, n + 1, dtype=np.int64)
    hits = pd.DataFrame(
        {
            "hit_id": hit_id,
            "x": frame.x,
            "y": frame.y,
            "z": frame.z,
            "volume_id": 8,
            "layer_id": frame.layer_id,
            "module_id": module_of(np.arctan2(frame.y, frame.x), frame.z.to_numpy()),
        }
    )
    truth = pd.DataFrame(
        {
            "hit_id": hit_id,
            "particle_id": frame.particle_id,
            "tx": frame.x,
            "ty": frame.y,
            "tz": frame.z,
            "tpx": 0.0,
            "tpy": 0.0,
            "tpz": 0.0,
            "weight": np.where(frame.particle_id > 0, 1.0 / n, 0.0),
        }
    )
    counts = frame.particle_id.value_counts()
    particles["nhits"] = particles.particle_id.map(counts).fillna(0).astype(int)
    out = {"hits": hits, "particles": particles, "truth": truth}
    if cells:
        n_cells = rng.integers(1, 4, n)
        hid = np.repeat(hit_id, n_cells)
        out["cells"] = pd.DataFrame(
            {
                "hit_id": hid,
                "ch0": 100 + np.concatenate([np.arange(c) for c in n_cells]),
                "ch1": 50 + rng.integers(0, 2, len(hid)),
                "value": rng.uniform(0.1, 1.0, len(hid)),
            }
        )
    return out


def detectors_table() -> pd.DataFrame:
    """One row per toy module (identity rotation)."""
    rows = []
    for i, _ in enumerate(RADII):
        for m in range(1, N_PHI * N_Z + 1):
            rows.append(
                {
                    "volume_id": 8,
                    "layer_id": 2 * i + 2,
                    "module_id": m,
                    "cx": 0.0,
                    "cy": 0.0,
                    "cz": 0.0,
                    "rot_xu": 1.0,
                    "rot_xv": 0.0,
                    "rot_xw": 0.0,
                    "rot_yu": 0.0,
                    "rot_yv": 1.0,
                    "rot_yw": 0.0,
                    "rot_zu": 0.0,
                    "rot_zv": 0.0,
                    "rot_zw": 1.0,
                    "module_t": 0.075,
                    "module_minhu": 8.0,
                    "module_maxhu": 8.0,
                    "module_hv": 32.0,
                    "pitch_u": 0.05,
                    "pitch_v": 0.056,
                }
            )
    return pd.DataFrame(rows)


def write_toy_events(directory, event_ids, cells: bool = True, truth: bool = True, **kwargs) -> None:
    """Write toy events (and ``detectors.csv``) in TrackML format into ``directory``."""
    from trackgnn.io import write_detectors, write_event

    for event_id in event_ids:
        ev = make_event(seed=event_id, cells=cells, **kwargs)
        write_event(
            directory,
            event_id,
            ev["hits"],
            cells=ev.get("cells"),
            particles=ev["particles"] if truth else None,
            truth=ev["truth"] if truth else None,
        )
    write_detectors(f"{directory}/detectors.csv", detectors_table())
