"""Optional Pythia 8 source (``pip install pythia8mc==8.317.2``; GPL-2.0, so an extra only).

One hard ttbar interaction (``pythia_hard_process``) plus Poisson(mu) min-bias
interactions, each at its own beam-spot vertex; final-state charged particles with
abs(eta) < eta_max and pT > pt_min are kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.simulation.config import SimulationConfig
from trackgnn.simulation.particles import COLUMNS, trackml_id

_GENERATORS: dict = {}


def _pythia(kind: str, seed: int):
    try:
        import pythia8mc
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise ImportError("simulation.source 'pythia8' needs the optional package pythia8mc==8.317.2") from exc
    pythia = pythia8mc.Pythia("", False)
    settings = [
        "Beams:eCM = 14000.",
        "Random:setSeed = on",
        f"Random:seed = {seed % 900_000_000 + 1}",
        "Next:numberCount = 0",
    ]
    settings += ["Top:gg2ttbar = on", "Top:qqbar2ttbar = on"] if kind == "ttbar" else ["SoftQCD:inelastic = on"]
    for line in settings:
        pythia.readString(line)
    if not pythia.init():
        raise RuntimeError(f"Pythia 8 initialisation failed for {kind}")
    return pythia


def _charged(pythia, cfg: SimulationConfig) -> np.ndarray:
    rows = []
    while not pythia.next():
        pass
    for particle in pythia.event:
        if particle.isFinal() and particle.isCharged():
            rows.append((particle.px(), particle.py(), particle.pz(), particle.charge(), particle.id(), particle.m()))
    if not rows:
        return np.zeros((0, 6))
    arr = np.array(rows, dtype=np.float64)
    pt = np.hypot(arr[:, 0], arr[:, 1])
    eta = np.arcsinh(arr[:, 2] / np.maximum(pt, 1e-12))
    keep = (pt > cfg.pt_min) & (np.abs(eta) < cfg.eta_max) & (np.abs(arr[:, 3]) > 0.5)
    return arr[keep]


def pythia_particles(cfg: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Primaries of one event from Pythia 8, seeded from ``rng`` (a generator per process)."""
    seed = int(rng.integers(1, 900_000_000))
    kinds = (["ttbar"] if cfg.pythia_hard_process == "ttbar" else []) + ["minbias"] * int(rng.poisson(cfg.mu))
    frames = []
    for vertex, kind in enumerate(kinds, start=1):
        key = kind
        if key not in _GENERATORS:
            _GENERATORS[key] = _pythia(kind, seed)
        pythia = _GENERATORS[key]
        pythia.rndm.init((seed + vertex) % 900_000_000 + 1)  # per-interaction seed: shard-independent
        arr = _charged(pythia, cfg)
        n = len(arr)
        if n == 0:
            continue
        vtx = rng.normal(0.0, [cfg.beam_sigma_xy_mm, cfg.beam_sigma_xy_mm, cfg.beam_sigma_z_mm])
        frames.append(
            pd.DataFrame(
                {
                    "particle_id": trackml_id(vertex, np.arange(1, n + 1)),
                    "vx": vtx[0],
                    "vy": vtx[1],
                    "vz": vtx[2],
                    "px": arr[:, 0],
                    "py": arr[:, 1],
                    "pz": arr[:, 2],
                    "q": np.rint(arr[:, 3]).astype(np.int64),
                    "pdg": arr[:, 4].astype(np.int64),
                    "mass": arr[:, 5],
                }
            )
        )
    if not frames:
        raise RuntimeError("Pythia 8 produced no charged particles in the acceptance")
    return pd.concat(frames, ignore_index=True)[COLUMNS]
