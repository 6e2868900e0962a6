"""Agreement of two sets of track candidates on the same events, without truth.

On real events there is no truth to score against, but a second, independent method is a
reference: the fraction of the reference's tracks that a candidate matches (and the reverse)
measured on real events, beside the same fractions on simulated events where truth says what
they mean, shows whether a model transfers. The match is a majority of shared hits: a track
``a`` of set A matches a track ``b`` of set B when more than ``fraction`` of ``b``'s hits lie on
``a`` (one-sided, so the measure does not punish extra hits that one method attaches).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def matched_fraction(
    candidates: pd.DataFrame, reference: pd.DataFrame, min_hits: int = 7, fraction: float = 0.5
) -> tuple[int, int]:
    """How many reference tracks of >= ``min_hits`` hits a candidate track covers.

    Args:
        candidates, reference: ``event_id, hit_id, track_id`` frames (track ids per event;
            a negative track id means unassigned).
        min_hits: reference tracks shorter than this are not counted.
        fraction: a reference track is matched when one candidate holds more than this
            fraction of its hits.

    Returns:
        (matched, counted) reference tracks.
    """
    ref = reference[reference["track_id"] >= 0]
    sizes = ref.groupby(["event_id", "track_id"]).size().rename("n_ref")
    sizes = sizes[sizes >= min_hits]
    if sizes.empty:
        return 0, 0
    cand = candidates[candidates["track_id"] >= 0][["event_id", "hit_id", "track_id"]]
    shared = ref.merge(cand, on=["event_id", "hit_id"], suffixes=("", "_cand"))
    counts = shared.groupby(["event_id", "track_id", "track_id_cand"]).size().rename("n_shared").reset_index()
    best = counts.groupby(["event_id", "track_id"])["n_shared"].max()
    joined = sizes.to_frame().join(best, how="left").fillna({"n_shared": 0})
    matched = int(np.count_nonzero(joined["n_shared"].to_numpy() > fraction * joined["n_ref"].to_numpy()))
    return matched, len(joined)


def agreement(tracks: pd.DataFrame, reference: pd.DataFrame, min_hits: int = 7, fraction: float = 0.5) -> dict:
    """Both directions: reference tracks covered by ``tracks`` and ``tracks`` covered by the reference."""
    covered, n_ref = matched_fraction(tracks, reference, min_hits, fraction)
    back, n_tracks = matched_fraction(reference, tracks, min_hits, fraction)
    return {
        "reference_matched": covered / n_ref if n_ref else float("nan"),
        "tracks_matched": back / n_tracks if n_tracks else float("nan"),
        "n_reference_tracks": n_ref,
        "n_tracks": n_tracks,
        "min_hits": min_hits,
        "fraction": fraction,
    }
