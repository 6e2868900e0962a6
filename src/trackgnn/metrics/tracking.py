"""Track-level figures of merit: efficiency, fake rate, duplicate rate, in bins of pT and eta.

Definitions (every figure is over one event or a concatenation of events):

* a track *matches* a particle when strictly more than half of the track's hits come from
  the particle and strictly more than half of the particle's hits are on the track
  (double majority); noise is never matched;
* **efficiency** = target particles with a matched track / target particles;
* among tracks with at least ``min_hits`` hits, a **duplicate** is a track that is not
  matched itself but holds > 50 % purity on a particle that another track matches, and a
  **fake** is a track that is neither matched nor a duplicate; the **fake rate** and the
  **duplicate rate** divide by those tracks, so matched + duplicate + fake fractions sum to 1.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from trackgnn.metrics.aggregate import binomial_efficiency
from trackgnn.metrics.cuts import TargetCuts, particle_kinematics, target_mask
from trackgnn.metrics.matching import match_tracks
from trackgnn.metrics.score import score_from_pairs

log = logging.getLogger(__name__)

PT_BINS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 100.0)
ETA_BINS = tuple(np.round(np.linspace(-4.0, 4.0, 17), 3))


def no_particles_reason(truth: pd.DataFrame, particles: pd.DataFrame | None) -> str | None:
    """Why an event can have no target particle whatever the cuts (no particles file, no
    particle rows, a truth file of noise only), or ``None`` when it has particles."""
    if particles is None:
        return "no particles file"
    if len(particles) == 0:
        return "the particles file has no rows"
    if not (truth["particle_id"].to_numpy() != 0).any():
        return "the truth file names no particle (noise hits only)"
    return None


def empty_particles() -> pd.DataFrame:
    """A particles frame with no rows (for events without a particles file)."""
    from trackgnn.io import schema

    return pd.DataFrame({c: np.zeros(0, dtype=d) for c, d in schema.PARTICLES.items()})


def particle_table(
    pairs: pd.DataFrame, truth: pd.DataFrame, particles: pd.DataFrame | None, cuts: TargetCuts
) -> pd.DataFrame:
    """One row per particle with hits: ``particle_id, pt, eta, n_hits, target, reconstructed``
    (no rows without ``particles``)."""
    if particles is None:
        particles = empty_particles()
    n_hits = truth.loc[truth["particle_id"] != 0].groupby("particle_id").size()
    kin = particle_kinematics(particles)
    kin = kin[kin["particle_id"].isin(n_hits.index)].reset_index(drop=True)
    kin["n_hits"] = n_hits.reindex(kin["particle_id"]).to_numpy()
    kin["target"] = target_mask(kin, kin["n_hits"].to_numpy(), cuts)
    matched_pids = pairs.loc[pairs["matched"], "particle_id"].unique()
    kin["reconstructed"] = kin["particle_id"].isin(matched_pids).to_numpy()
    return kin


def classify_tracks(pairs: pd.DataFrame, min_hits: int) -> pd.DataFrame:
    """One row per counted track (>= min_hits hits): ``track_id, n_hits, matched, duplicate, fake``."""
    counted = pairs[pairs["track_hits"] >= min_hits]
    tracks = counted.groupby("track_id").agg(n_hits=("track_hits", "first"), matched=("matched", "any"))
    matched_pids = set(pairs.loc[pairs["matched"], "particle_id"].to_numpy().tolist())
    majority = counted[(2 * counted["n_common"] > counted["track_hits"]) & (counted["particle_id"] != 0)]
    dup_tracks = majority.loc[majority["particle_id"].isin(matched_pids) & ~majority["matched"], "track_id"].unique()
    tracks["duplicate"] = tracks.index.isin(dup_tracks) & ~tracks["matched"].to_numpy()
    tracks["fake"] = ~tracks["matched"] & ~tracks["duplicate"]
    return tracks.reset_index()


def tracking_metrics(
    tracks: pd.DataFrame,
    truth: pd.DataFrame,
    particles: pd.DataFrame | None,
    cuts: TargetCuts = TargetCuts(),
) -> dict:
    """Efficiency, fake and duplicate rates and the TrackML score of one event.

    Args:
        tracks: ``hit_id, track_id`` (one label per hit).
        truth: ``hit_id, particle_id`` (+ ``weight`` for the score).
        particles: ``particle_id, px, py, pz`` of the event; ``None`` (no particles file)
            leaves no target particle (a warning; efficiency NaN), the score and rates stand.
        cuts: target-particle selection.

    Returns:
        A JSON-serialisable dict of counts and rates, with the cuts used.
    """
    reason = no_particles_reason(truth, particles)
    if reason is not None:
        log.warning("%s: zero target particles, the efficiency is undefined (NaN)", reason)
    return metrics_from_pairs(match_tracks(tracks, truth), truth, particles, cuts)


def metrics_from_pairs(
    pairs: pd.DataFrame, truth: pd.DataFrame, particles: pd.DataFrame | None, cuts: TargetCuts
) -> dict:
    """:func:`tracking_metrics` from an existing :func:`match_tracks` table (match once, cut many times)."""
    table = particle_table(pairs, truth, particles, cuts)
    counted = classify_tracks(pairs, cuts.min_hits)
    n_target = int(table["target"].sum())
    n_found = int((table["target"] & table["reconstructed"]).sum())
    n_counted = len(counted)
    result = {
        "cuts": cuts.as_dict(),
        "n_hits": int(len(truth)),
        "n_tracks": int(pairs["track_id"].nunique()),
        "n_tracks_counted": n_counted,
        "n_target_particles": n_target,
        "n_reconstructed_targets": n_found,
        "n_fake": int(counted["fake"].sum()),
        "n_duplicate": int(counted["duplicate"].sum()),
        "efficiency": n_found / n_target if n_target else float("nan"),
        "fake_rate": float(counted["fake"].mean()) if n_counted else float("nan"),
        "duplicate_rate": float(counted["duplicate"].mean()) if n_counted else float("nan"),
    }
    if "weight" in truth.columns:
        result["trackml_score"] = score_from_pairs(pairs, truth)
    return result


def binned_efficiency(particle_rows: pd.DataFrame, variable: str, edges) -> pd.DataFrame:
    """Efficiency of target particles in bins of ``variable`` (``pt`` or ``eta``).

    ``particle_rows`` is :func:`particle_table` output (possibly concatenated over events).
    Returns ``low, high, n_target, n_reconstructed, efficiency, error_low, error_high`` (the 68%
    Wilson interval of :func:`~trackgnn.metrics.aggregate.binomial_efficiency`).
    """
    edges = np.asarray(edges, dtype=np.float64)
    rows = particle_rows[particle_rows["target"]]
    index = np.digitize(rows[variable].to_numpy(), edges) - 1
    inside = (index >= 0) & (index < len(edges) - 1)
    n_all = np.bincount(index[inside], minlength=len(edges) - 1)
    n_rec = np.bincount(index[inside], weights=rows["reconstructed"].to_numpy()[inside], minlength=len(edges) - 1)
    eff, below, above = binomial_efficiency(n_rec, n_all)
    return pd.DataFrame(
        {
            "low": edges[:-1],
            "high": edges[1:],
            "n_target": n_all,
            "n_reconstructed": n_rec.astype(int),
            "efficiency": eff,
            "error_low": below,
            "error_high": above,
        }
    )
