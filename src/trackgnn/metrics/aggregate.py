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
    if all("n_missing_hits" in m for m in per_event):
        out["n_missing_hits"] = total("n_missing_hits")
    if all("trackml_score" in m for m in per_event):
        out["trackml_score"] = sum(m["trackml_score"] for m in per_event) / len(per_event)
    return out


def binomial_efficiency(n_pass, n_all, z: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Efficiency ``n_pass / n_all`` per bin with its Wilson score interval, as distances
    below and above the efficiency (arrays; NaN where a bin is empty).

    .. math::
        c = \\frac{e + z^2 / 2n}{1 + z^2 / n}, \\qquad
        w = \\frac{z}{1 + z^2 / n} \\sqrt{\\frac{e (1 - e)}{n} + \\frac{z^2}{4 n^2}},
        \\qquad [c - w,\\; c + w]

    ``z = 1``: the 68.3% interval. Unlike the normal approximation
    :math:`\\sqrt{e (1 - e) / n}` it is not zero at efficiency 0 or 1 (1 of 1 found:
    :math:`[0.5, 1]`) and stays inside :math:`[0, 1]`.
    """
    n_pass = np.asarray(n_pass, dtype=np.float64)
    n_all = np.asarray(n_all, dtype=np.float64)
    n = np.where(n_all > 0, n_all, np.nan)
    eff = n_pass / n
    shrink = 1.0 + z * z / n
    centre = (eff + z * z / (2 * n)) / shrink
    half = z / shrink * np.sqrt(eff * (1 - eff) / n + z * z / (4 * n * n))
    # clip float rounding at the ends (e = 1: c + w is 1 up to an ulp): the interval holds the
    # efficiency and stays inside [0, 1]
    low = np.clip(centre - half, 0.0, eff)
    high = np.clip(centre + half, eff, 1.0)
    return eff, eff - low, high - eff
