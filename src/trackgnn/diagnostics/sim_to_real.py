"""Real vs simulated events through the same models, without truth, and the issue's targets.

The two sides are the figures (:mod:`trackgnn.diagnostics.run_figures`) of a run on real files
and of a run on simulated events (at best the real events' particle lists replayed) with the
same models. Ratios are real / simulated. The targets (#25) are computed here, never typed:
edges per hit at the run's radius within 10% of the simulation's, and GNN-vs-CKF agreement
(both directions) within 2 points of the simulation's.
"""

from __future__ import annotations

import math

from trackgnn.diagnostics.density import load_sample
from trackgnn.diagnostics.report import build_report

#: target -> (tolerance, kind): 'relative' compares real / simulated - 1, 'points' compares
#: 100 * (real - simulated) of a fraction.
TARGETS = {
    "edges_per_hit": (0.10, "relative"),
    "ckf_tracks_matched_by_gnn": (2.0, "points"),
    "gnn_tracks_matched_by_ckf": (2.0, "points"),
}
#: agreement target -> (fraction, number of tracks it is a fraction of) in the agreement JSON
_AGREEMENT_KEYS = {
    "ckf_tracks_matched_by_gnn": ("reference_matched", "n_reference_tracks"),
    "gnn_tracks_matched_by_ckf": ("tracks_matched", "n_tracks"),
}


def _value(figures: dict, name: str) -> float | None:
    if name == "edges_per_hit":
        return (figures.get("graph") or {}).get("edges_per_hit")
    agreement = figures.get("agreement") or {}
    value = agreement.get(_AGREEMENT_KEYS[name][0])
    return None if value is None or value != value else float(value)


def _binomial_points(real: dict, simulated: dict, name: str) -> float | None:
    """Standard error (points) of the difference of two matched fractions, from their track counts."""
    variance = 0.0
    for figures in (real, simulated):
        p, n = _value(figures, name), (figures.get("agreement") or {}).get(_AGREEMENT_KEYS[name][1])
        if p is None or not n:
            return None
        variance += p * (1.0 - p) / n
    return round(100.0 * math.sqrt(variance), 3)


def targets(real: dict, simulated: dict) -> list[dict]:
    """One row per target: real and simulated values, their difference, tolerance, ``passed``
    (None when a side lacks the figure, e.g. a run without the CKF) and, for the agreement, the
    binomial standard error of the difference in points."""
    rows = []
    for name, (tolerance, kind) in TARGETS.items():
        a, b = _value(real, name), _value(simulated, name)
        if a is None or b is None or (kind == "relative" and b == 0):
            diff = None
        elif kind == "relative":
            diff = a / b - 1.0
        else:
            diff = 100.0 * (a - b)
        # rounded before the comparison: 22 / 20 - 1 is 0.10000000000000009 in floats
        diff = None if diff is None else round(diff, 6)
        rows.append(
            {
                "target": name,
                "real": a,
                "simulated": b,
                "difference": diff,
                "kind": kind,
                "tolerance": tolerance,
                # statistical context only: pass/fail is the tolerance on the difference
                "uncertainty": _binomial_points(real, simulated, name) if kind == "points" else None,
                "passed": None if diff is None else bool(abs(diff) <= tolerance),
            }
        )
    return rows


def hit_density(real: dict, simulated: dict, bins: int = 10) -> dict:
    """Hits per event per volume and layer (and r/z profiles), real / simulated, from the runs' events."""
    sim_sample = load_sample("events", simulated["events"])
    real_sample = load_sample("reference", real["events"])
    report = build_report(sim_sample, real_sample, bins=bins)
    keep = ("hits_per_event", "per_volume", "per_layer", "worst_layer_ratio", "profiles")
    out = {k: report[k] for k in keep}
    out["ratio"] = "real / simulated"
    # the report's generic sample names: 'events' is the simulated side, 'reference' the real one
    out["sides"] = {"simulated": "events", "real": "reference"}
    return out


def compare(real: dict, simulated: dict, bins: int = 10) -> dict:
    """The JSON-ready comparison: both runs' figures, hit density, and the targets."""
    return {
        "ratio": "real / simulated",
        "real": real,
        "simulated": simulated,
        "hit_density": hit_density(real, simulated, bins) if real.get("events") and simulated.get("events") else None,
        "targets": targets(real, simulated),
    }
