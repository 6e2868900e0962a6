"""Primary particles for one event, as a frame in TrackML units (mm, GeV).

Every source returns ``particle_id, vx, vy, vz, px, py, pz, q, pdg, mass``; ``particle_id``
is the TrackML id written to particles.csv (bits: vertex 52-63, primary 36-51,
generation 24-35, secondary 12-23, process 0-11).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.simulation.config import SimulationConfig

PION_MASS = 0.13957039
KAON_MASS = 0.493677
PROTON_MASS = 0.93827209
COLUMNS = ["particle_id", "vx", "vy", "vz", "px", "py", "pz", "q", "pdg", "mass"]


def trackml_id(vertex, primary, generation=0, secondary=0, process=0) -> np.ndarray:
    """Pack TrackML particle-id bit fields."""
    v = np.asarray(vertex, dtype=np.int64)
    return (
        (v << 52)
        | (np.asarray(primary, dtype=np.int64) << 36)
        | (np.asarray(generation, dtype=np.int64) << 24)
        | (np.asarray(secondary, dtype=np.int64) << 12)
        | np.asarray(process, dtype=np.int64)
    )


def pileup_particles(cfg: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Parametric min-bias pile-up: Poisson(mu) interactions of charged hadrons.

    Multiplicity per interaction is negative binomial (mean ``particles_per_interaction``,
    shape ``multiplicity_shape``); pT is ``pt_min`` + Exp(``pt_slope``) with a fraction
    ``hard_fraction`` from 1 GeV + Exp(mean ``hard_pt_mean``); eta flat; species ~85% pions,
    10% kaons, 5% protons, charge +-1; one Gaussian beam-spot vertex per interaction.
    """
    n_int = max(1, int(rng.poisson(cfg.mu))) if cfg.mu > 0 else 1
    k = cfg.multiplicity_shape
    p_nb = k / (k + cfg.particles_per_interaction)
    mult = rng.negative_binomial(k, p_nb, size=n_int)
    mult = np.maximum(mult, 1)
    if mult.max() >= 1 << 16:
        raise ValueError("simulation.particles_per_interaction: an interaction exceeds 65535 particles")
    n = int(mult.sum())
    vertex_index = np.repeat(np.arange(n_int), mult)
    primary = np.arange(n) - np.repeat(np.cumsum(mult) - mult, mult) + 1
    vtx = np.column_stack(
        [
            rng.normal(0.0, cfg.beam_sigma_xy_mm, n_int),
            rng.normal(0.0, cfg.beam_sigma_xy_mm, n_int),
            rng.normal(0.0, cfg.beam_sigma_z_mm, n_int),
        ]
    )[vertex_index]
    hard = rng.random(n) < cfg.hard_fraction
    pt = np.where(hard, 1.0 + rng.exponential(cfg.hard_pt_mean, n), cfg.pt_min + rng.exponential(1.0 / cfg.pt_slope, n))
    eta = rng.uniform(-cfg.eta_max, cfg.eta_max, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    q = np.where(rng.random(n) < 0.5, 1, -1)
    species = rng.choice(3, size=n, p=[0.85, 0.10, 0.05])
    pdg = np.choose(species, [211, 321, 2212]) * q
    mass = np.choose(species, [PION_MASS, KAON_MASS, PROTON_MASS])
    return pd.DataFrame(
        {
            "particle_id": trackml_id(vertex_index + 1, primary),
            "vx": vtx[:, 0],
            "vy": vtx[:, 1],
            "vz": vtx[:, 2],
            "px": pt * np.cos(phi),
            "py": pt * np.sin(phi),
            "pz": pt * np.sinh(eta),
            "q": q,
            "pdg": pdg,
            "mass": mass,
        }
    )[COLUMNS]


def particle_files(path: str | Path) -> list[Path]:
    """The TrackML particles files in ``path`` (a file or a directory), sorted by name."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"particles source {path}: no such file or directory")
    files = sorted(p for p in path.iterdir() if p.name.endswith(("-particles.csv", "-particles.csv.gz")))
    if not files:
        raise FileNotFoundError(f"particles source {path}: no event*-particles.csv[.gz] files in it")
    return files


def replay_particles(files: Sequence[Path], index: int) -> pd.DataFrame:
    """The particles of file ``index % len(files)``: real kinematics, original TrackML ids.

    Charge comes from ``q`` (TrackML has no species): charged pions are assumed.
    """
    from trackgnn.io.trackml import read_particles_file

    path = files[index % len(files)]
    table = read_particles_file(path)
    bad = ~np.isin(table["q"].to_numpy(), (-1, 1))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{path}: line {row + 2}, column q: got {table['q'].iat[row]}; expected -1 or 1")
    q = table["q"].to_numpy(np.int64)
    out = table[["particle_id", "vx", "vy", "vz", "px", "py", "pz"]].astype(
        {c: np.float64 for c in ("vx", "vy", "vz", "px", "py", "pz")}
    )
    out["q"] = q
    out["pdg"] = 211 * q
    out["mass"] = PION_MASS
    return out[COLUMNS].reset_index(drop=True)
