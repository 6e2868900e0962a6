"""Fitted tracks -> kept tracks: per-reason drop counts, the labels CSV rows and the
per-track parameters table.

Drop rule, in order (each candidate or track is counted once, under the first reason):

1. before the fit (:mod:`trackgnn.fitting.candidates`): ``too_few_hits``, ``too_few_layers``;
2. ``no_parameters``: ACTS found no starting parameters from any of its seed variants;
3. ``fit_failed``: the Kalman filter (or the CKF extension) returned no track;
4. ``too_few_measurements`` when its longest fit has < ``min_hits`` measurements, else
   ``ambiguity``: no fit of it survived the greedy ambiguity resolution (which also drops
   the worse fits of one candidate, since they share all hits);
5. on the best surviving fit (most measurements, then smallest chi2/ndf): ``bad_parameters``
   (non-finite fitted parameters or q/p = 0),
   ``too_few_measurements`` (< ``min_hits`` measurements once outliers are removed),
   ``chi2_ndf`` (chi2/ndf > ``chi2_ndf_max``, or ndf <= 0), ``holes`` (> ``max_holes``),
   ``pt`` (pT < ``pt_min_gev``).

Kept tracks keep only the hits the fit used as measurements (outliers leave the track). A hit
claimed by two kept tracks (possible only with the CKF extension and without ambiguity
resolution) goes to the longer one (then the smaller chi2/ndf).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.fitting.config import FittingConfig
from trackgnn.fitting.readback import FittedTrack

#: every reason a candidate can be dropped, in the order of the rule above
REASONS = (
    "too_few_hits",
    "too_few_layers",
    "no_parameters",
    "fit_failed",
    "ambiguity",
    "bad_parameters",
    "too_few_measurements",
    "chi2_ndf",
    "holes",
    "pt",
)

#: columns of the parameters CSV (units: GeV, mm, rad)
PARAM_COLUMNS = [
    "event_id",
    "track_id",
    "candidate_id",
    "pt",
    "eta",
    "phi",
    "d0",
    "z0",
    "q",
    "chi2",
    "ndf",
    "n_hits",
    "n_holes",
    "n_outliers",
]


def _reject(track: FittedTrack, cfg: FittingConfig) -> str | None:
    pars = np.asarray(track.parameters[:5], dtype=np.float64)
    if not np.all(np.isfinite(pars)) or pars[4] == 0 or not np.isfinite(track.chi2):
        return "bad_parameters"
    if len(track.measurements) < cfg.min_hits:
        return "too_few_measurements"
    if track.ndf <= 0 or track.chi2 / track.ndf > cfg.chi2_ndf_max:
        return "chi2_ndf"
    if track.n_holes > cfg.max_holes:
        return "holes"
    if cfg.pt_min_gev > 0 and abs(np.sin(pars[3]) / pars[4]) < cfg.pt_min_gev:
        return "pt"
    return None


def _best(tracks: list[FittedTrack]) -> FittedTrack:
    """The fit of a candidate to keep: most measurements, then the smallest chi2/ndf."""
    return min(tracks, key=lambda t: (-len(t.measurements), t.chi2 / max(t.ndf, 1)))


def select_event(record: dict, cfg: FittingConfig) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(labels ``event_id,hit_id,track_id``, parameters rows, counts) of one event's record
    from :func:`trackgnn.fitting.chain.run_fit_chain`.

    Each candidate was fitted once per seed variant; its best surviving fit stands for it.
    ``counts``: ``n_candidates`` (groups of >= 2 hits), ``n_fittable`` (passed to ACTS),
    ``n_fitted`` (candidates with a fitted track), ``n_kept``, ``n_unassigned_hits`` and
    ``dropped`` (candidates per reason, every reason present).
    """
    event_id = int(record["event_id"])
    candidates = record["candidates"]
    dropped = dict.fromkeys(REASONS, 0)
    dropped.update(candidates.dropped)
    fitted: dict[int, list[FittedTrack]] = {}
    for track in record["fitted"]:
        if track.measurements:
            fitted.setdefault(track.candidate, []).append(track)
    final: dict[int, list[FittedTrack]] = {}
    orphans = []  # extension tracks made of hits of no candidate
    for track in record["final"]:
        if track.candidate < 0:
            orphans.append(track)
        elif track.measurements:
            final.setdefault(track.candidate, []).append(track)
    chosen = []
    for c in range(len(candidates)):
        if c not in record["seeded"]:
            dropped["no_parameters"] += 1
        elif c not in fitted:
            dropped["fit_failed"] += 1
        elif c not in final:
            longest = max(len(t.measurements) for t in fitted[c])
            dropped["too_few_measurements" if longest < cfg.min_hits else "ambiguity"] += 1
        else:
            chosen.append(_best(final[c]))
    kept = []
    for track in chosen + orphans:
        reason = _reject(track, cfg)
        if reason is None:
            kept.append(track)
        elif track.candidate >= 0:
            dropped[reason] += 1
    # longest first, then best chi2/ndf: a shared hit goes to the first track claiming it
    kept.sort(key=lambda t: (-len(t.measurements), t.chi2 / max(t.ndf, 1)))
    hit_id = record["hit_id"]
    taken = np.zeros(len(hit_id), dtype=bool)
    label_hits, label_tracks, rows = [], [], []
    for track in kept:
        idx = np.asarray(track.measurements, dtype=np.int64)
        idx = idx[~taken[idx]]
        taken[idx] = True
        if len(idx) == 0:
            continue
        track_id = len(rows)
        label_hits.append(hit_id[idx])
        label_tracks.append(np.full(len(idx), track_id, dtype=np.int64))
        rows.append(_param_row(event_id, track_id, track, candidates.track_id, len(idx)))
    labels = pd.DataFrame(
        {
            "event_id": np.full(sum(len(h) for h in label_hits), event_id, dtype=np.int64),
            "hit_id": np.concatenate(label_hits) if label_hits else np.zeros(0, np.int64),
            "track_id": np.concatenate(label_tracks) if label_tracks else np.zeros(0, np.int64),
        }
    )
    params = pd.DataFrame(rows, columns=PARAM_COLUMNS)
    counts = {
        "n_candidates": int(candidates.n_candidates),
        "n_fittable": len(candidates),
        "n_fitted": len(fitted),
        "n_kept": len(rows),
        "n_unassigned_hits": int(candidates.n_unassigned_hits),
        "dropped": dropped,
    }
    return labels, params, counts


def _param_row(event_id: int, track_id: int, track: FittedTrack, candidate_ids: np.ndarray, n_hits: int) -> list:
    d0, z0, phi, theta, qop, _ = track.parameters
    pt = abs(np.sin(theta) / qop)
    eta = -np.log(np.tan(theta / 2.0))
    candidate = int(candidate_ids[track.candidate]) if track.candidate >= 0 else -1
    return [
        event_id,
        track_id,
        candidate,
        pt,
        eta,
        phi,
        d0,
        z0,
        int(np.sign(qop)),
        track.chi2,
        track.ndf,
        n_hits,
        track.n_holes,
        track.n_outliers,
    ]
