"""Simulate one event end to end: particles -> ACTS -> detector effects -> TrackML frames."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.simulation import particles as sources
from trackgnn.simulation.acts_run import run_acts
from trackgnn.simulation.config import SimulationConfig
from trackgnn.simulation.convert import particle_table, signal_hits
from trackgnn.simulation.effects import drop_inefficient, noise_hits
from trackgnn.simulation.geometry import detectors_table
from trackgnn.simulation.readout import ReadoutParams, readout_cells


def event_seeds(seed: int, event_id: int) -> np.ndarray:
    """Four independent 63-bit seeds (generator, Fatras, digitization, effects) from (seed, event id)."""
    state = np.random.SeedSequence([int(seed) & 0xFFFFFFFFFFFFFFFF, int(event_id)]).generate_state(4, np.uint64)
    return state >> np.uint64(1)


def primary_particles(
    cfg: SimulationConfig, event_id: int, rng: np.random.Generator, files: Sequence[Path] | None, position: int
) -> pd.DataFrame:
    """The event's primaries from the configured source."""
    if cfg.source == "particles":
        if not files:
            raise ValueError("simulation.source is 'particles' but no particles file or directory was given")
        return sources.replay_particles(files, position)
    if cfg.source == "pythia8":
        from trackgnn.simulation.pythia import pythia_particles

        return pythia_particles(cfg, rng)
    return sources.pileup_particles(cfg, rng)


def simulate_event(
    cfg: SimulationConfig, event_id: int, seed: int, files: Sequence[Path] | None = None, position: int = 0
) -> dict[str, pd.DataFrame]:
    """TrackML ``hits, cells, particles, truth`` frames of one event (``order`` kept in truth)."""
    seeds = event_seeds(seed, event_id)
    primaries = primary_particles(cfg, event_id, np.random.default_rng(int(seeds[0])), files, position)
    pt = np.hypot(primaries["px"].to_numpy(), primaries["py"].to_numpy())
    to_acts = primaries[pt >= cfg.sim_pt_min_gev].reset_index(drop=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"trackgnn-acts-{event_id}-"))
    try:
        out = run_acts(to_acts, cfg, (int(seeds[1]), int(seeds[2])), workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    simulated, lookup = particle_table(to_acts, out.particles)
    below = primaries[pt < cfg.sim_pt_min_gev][["particle_id", "vx", "vy", "vz", "px", "py", "pz", "q"]]
    all_particles = pd.concat([simulated, below], ignore_index=True)

    detectors = detectors_table()
    hits, cells = signal_hits(out, lookup, detectors, smeared=cfg.digitization == "smearing")
    params = readout_params(cfg)
    if cfg.digitization == "geometric":
        # own stream, so the effects below draw the same numbers whatever the readout does
        cells = readout_cells(
            out.simhits, out.measurement_simhits, detectors, params, np.random.default_rng([int(seeds[3]), 1])
        )
    rng = np.random.default_rng(int(seeds[3]))
    hits = hits[drop_inefficient(hits["volume_id"].to_numpy(), cfg.per_volume("module_inefficiency"), rng)]
    scale = cfg.mu / 200.0 if (cfg.noise_scale_with_mu and cfg.source != "particles") else 1.0
    noise = noise_hits(detectors, cfg.per_volume("noise"), scale, rng)
    if cfg.digitization == "geometric" and len(noise):
        volume = noise["volume_id"].to_numpy()
        value = noise["value"].to_numpy() * np.array([params.scale.get(int(v), 1.0) for v in volume])
        noise["value"] = np.where(np.isin(volume, list(params.binary)), 1.0, value)
    return assemble(hits, cells, noise, all_particles)


def readout_params(cfg: SimulationConfig) -> ReadoutParams:
    """The per-volume cell readout constants of ``cfg``."""
    return ReadoutParams(
        diffusion_u=cfg.per_volume("cell_diffusion_u_mm"),
        diffusion_v=cfg.per_volume("cell_diffusion_v_mm"),
        threshold=cfg.per_volume("cell_threshold_mm"),
        scale=cfg.per_volume("cell_charge_scale"),
        smearing=cfg.per_volume("cell_charge_smearing"),
        binary=frozenset(cfg.binary_readout_volumes),
    )


def assemble(
    hits: pd.DataFrame, cells: pd.DataFrame, noise: pd.DataFrame, particles: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Number hits 1..N in (volume, layer, module, x) order and build the four frames."""
    from trackgnn.metrics.weights import truth_weights

    n_sig = len(hits)
    sig = hits.assign(source=np.arange(n_sig))
    noi = noise.assign(particle_id=0, order=0, source=n_sig + np.arange(len(noise)))
    for col in ("tx", "ty", "tz"):
        noi[col] = noi[col[1]]
    for col in ("tpx", "tpy", "tpz"):
        noi[col] = 0.0
    both = pd.concat([sig.drop(columns="measurement_id"), noi.drop(columns=["ch0", "ch1", "value"])], ignore_index=True)
    both = both.sort_values(
        ["volume_id", "layer_id", "module_id", "x", "y", "z", "source"], kind="mergesort", ignore_index=True
    )
    both["hit_id"] = np.arange(1, len(both) + 1, dtype=np.int64)
    hit_of_source = np.empty(len(both), dtype=np.int64)
    hit_of_source[both["source"].to_numpy()] = both["hit_id"].to_numpy()

    meas_to_source = pd.Series(np.arange(n_sig), index=hits["measurement_id"].to_numpy())
    kept = cells[cells["measurement_id"].isin(meas_to_source.index)]
    sig_cells = pd.DataFrame(
        {
            "hit_id": hit_of_source[meas_to_source.loc[kept["measurement_id"]].to_numpy()],
            "ch0": kept["ch0"].to_numpy(),
            "ch1": kept["ch1"].to_numpy(),
            "value": kept["value"].to_numpy(),
        }
    )
    noise_cells = pd.DataFrame(
        {
            "hit_id": hit_of_source[n_sig + np.arange(len(noise))],
            "ch0": noise["ch0"].to_numpy(),
            "ch1": noise["ch1"].to_numpy(),
            "value": noise["value"].to_numpy(),
        }
    )
    all_cells = pd.concat([sig_cells, noise_cells], ignore_index=True).sort_values(
        ["hit_id", "ch0", "ch1"], kind="mergesort", ignore_index=True
    )

    truth = both[["hit_id", "particle_id", "tx", "ty", "tz", "tpx", "tpy", "tpz", "order"]].copy()
    nhits = truth.loc[truth["particle_id"] != 0, "particle_id"].value_counts()
    particles = particles.copy()
    particles["nhits"] = particles["particle_id"].map(nhits).fillna(0).astype(np.int64)
    particles = particles.sort_values("particle_id", kind="mergesort", ignore_index=True)
    truth["weight"] = truth_weights(truth, particles)
    return {
        "hits": both[["hit_id", "x", "y", "z", "volume_id", "layer_id", "module_id"]],
        "cells": all_cells,
        "particles": particles,
        "truth": truth,
    }
