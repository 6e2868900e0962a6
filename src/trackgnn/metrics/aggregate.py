"""Combine per-event metric dicts into figures for a set of events."""

from __future__ import annotations

import math

import numpy as np


def summarise(per_event: list[dict]) -> dict:
    """Pool counts over events: efficiency = sum found / sum targets, rates likewise;
    the TrackML score is the mean of the event scores (as on the Kaggle leaderboard)."""
    if not per_event:
        raise ValueError("no events to summarise")

    def total(key: str) -> int:
        return int(sum(m[key] for m in per_event))

    n_target = total("n_target_particles")
    n_found = total("n_reconstructed_targets")
    n_counted = total("n_tracks_counted")
    out = {
        "n_events": len(per_event),
        "cuts": per_event[0]["cuts"],
        "n_hits": total("n_hits"),
        "n_tracks": total("n_tracks"),
        "n_tracks_counted": n_counted,
        "n_target_particles": n_target,
        "n_reconstructed_targets": n_found,
        "efficiency": n_found / n_target if n_target else math.nan,
        "fake_rate": total("n_fake") / n_counted if n_counted else math.nan,
        "duplicate_rate": total("n_duplicate") / n_counted if n_counted else math.nan,
    }
    if all("trackml_score" in m for m in per_event):
        out["trackml_score"] = sum(m["trackml_score"] for m in per_event) / len(per_event)
    return out


def binomial_efficiency(n_pass, n_all) -> tuple[np.ndarray, np.ndarray]:
    """Efficiency ``n_pass / n_all`` and its binomial error :math:`\\sqrt{e (1 - e) / n}` per
    bin (arrays); NaN where a bin is empty."""
    n_pass = np.asarray(n_pass, dtype=np.float64)
    n_all = np.asarray(n_all, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = np.where(n_all > 0, n_pass / n_all, np.nan)
        err = np.where(n_all > 0, np.sqrt(eff * (1 - eff) / np.maximum(n_all, 1)), np.nan)
    return eff, err
