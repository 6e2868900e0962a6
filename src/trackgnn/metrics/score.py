"""The TrackML score of one event."""

from __future__ import annotations

import pandas as pd

from trackgnn.metrics.matching import match_tracks


def trackml_score(tracks: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Sum of the weights of the hits shared by double-majority matched (track, particle) pairs.

    ``truth`` must carry the TrackML ``weight`` column (summing to one over the event), so
    the score lies in [0, 1]: 1 for a perfect reconstruction, 0 for all-singleton tracks.
    """
    if "weight" not in truth.columns:
        raise ValueError("truth has no 'weight' column; the TrackML score needs hit weights")
    pairs = match_tracks(tracks, truth)
    return float(pairs.loc[pairs["matched"], "weight"].sum())
