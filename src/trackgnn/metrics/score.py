"""The TrackML score of one event, as the official ``trackml.score.score_event`` computes it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from trackgnn.metrics.matching import match_tracks


def trackml_score(tracks: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Weight of the hits shared by double-majority matched (track, particle) pairs, divided
    by the total weight of the truth rows.

    The division is what the official scorer does: for a full TrackML event, whose weights
    sum to one, it changes nothing; for an event cut to some of its particles (weights
    summing to e.g. 0.05) a perfect submission still scores 1. The score lies in [0, 1]: 1
    for a perfect reconstruction, 0 for all-singleton tracks; NaN when every weight is zero.
    Hits missing from ``tracks`` count as unassigned (see :func:`check_submission` for
    the full-submission rule).
    """
    if "weight" not in truth.columns:
        raise ValueError("truth has no 'weight' column; the TrackML score needs hit weights")
    return score_from_pairs(match_tracks(tracks, truth), truth)


def score_from_pairs(pairs: pd.DataFrame, truth: pd.DataFrame) -> float:
    """:func:`trackml_score` from a :func:`~trackgnn.metrics.matching.match_tracks` table.

    Weights are taken at the file contract's float32 precision and summed exactly (each
    pair's weight is an exact float64 sum of float32 values; ``math.fsum`` across pairs and
    hits), so a perfect submission scores exactly 1.0, whatever the order of the hits.
    """
    total = math.fsum(hit_weights(truth).tolist())
    if not total > 0:
        return math.nan
    matched = pairs.loc[pairs["matched"], "weight"].to_numpy(np.float64)
    return math.fsum(matched.tolist()) / total


def hit_weights(truth: pd.DataFrame) -> np.ndarray:
    """The truth rows' weights at the float32 precision of the TrackML file contract, as float64."""
    return truth["weight"].to_numpy(np.float32).astype(np.float64)
