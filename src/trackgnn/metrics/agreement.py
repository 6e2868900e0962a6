"""Agreement of two sets of track candidates on the same events, without truth.

On real events there is no truth to score against, but a second, independent method is a
reference: the fraction of the reference's tracks that a candidate matches (and the reverse)
measured on real events, beside the same fractions on simulated events where truth says what
they mean, shows whether a model transfers. The match is a majority of shared hits: a track
``a`` of set A matches a track ``b`` of set B when more than ``fraction`` of ``b``'s hits lie on
``a`` (one-sided, so the measure does not punish extra hits that one method attaches).

Both sets hold tracks of every momentum, most of them low-pT loopers that neither method is
tuned for; like the efficiency, the agreement counts only tracks above a transverse momentum
(``pt_min``, 1 GeV in the workflow). Without truth the momentum is each track's own estimate:
the circle through the beam line fitted to its hits
(:func:`trackgnn.track_building.selection.candidate_pt`), the same for both methods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def track_pt(tracks: pd.DataFrame, hits: pd.DataFrame, bfield_t: float) -> pd.Series:
    """Circle-fit pT estimate (GeV) of every track, indexed by ``(event_id, track_id)``.

    Args:
        tracks: ``event_id, hit_id, track_id`` frame (negative track ids are left out).
        hits: ``event_id, hit_id, x, y`` of the same events (mm).
        bfield_t: solenoid field in tesla.

    Raises:
        ValueError: a track's hit is not among ``hits``.
    """
    from trackgnn.track_building.selection import candidate_pt

    assigned = tracks[tracks["track_id"] >= 0][["event_id", "hit_id", "track_id"]]
    joined = assigned.merge(hits[["event_id", "hit_id", "x", "y"]], on=["event_id", "hit_id"], how="left")
    missing = joined["x"].isna().to_numpy()
    if missing.any():
        row = joined[missing].iloc[0]
        raise ValueError(
            f"{int(missing.sum())} track hit(s) not in the events' hits, e.g. event {int(row.event_id)} "
            f"hit_id {int(row.hit_id)}; expected the tracks and events of the same run"
        )
    x, y = joined["x"].to_numpy(np.float64), joined["y"].to_numpy(np.float64)
    # one label per (event, track): the fit groups hits by label
    label = joined.groupby(["event_id", "track_id"], sort=False).ngroup().to_numpy()
    pt = candidate_pt(label, np.hypot(x, y), np.arctan2(y, x), bfield_t)
    return pd.Series(pt, index=pd.MultiIndex.from_frame(joined[["event_id", "track_id"]])).groupby(level=[0, 1]).first()


def matched_fraction(
    candidates: pd.DataFrame,
    reference: pd.DataFrame,
    min_hits: int = 7,
    fraction: float = 0.5,
    reference_pt: pd.Series | None = None,
    pt_min: float = 0.0,
) -> tuple[int, int]:
    """How many reference tracks of >= ``min_hits`` hits a candidate track covers.

    Args:
        candidates, reference: ``event_id, hit_id, track_id`` frames (track ids per event;
            a negative track id means unassigned).
        min_hits: reference tracks shorter than this are not counted.
        fraction: a reference track is matched when one candidate holds more than this
            fraction of its hits.
        reference_pt: pT of each reference track (:func:`track_pt`); with ``pt_min`` > 0,
            reference tracks below ``pt_min`` are not counted.
        pt_min: GeV; 0 counts every momentum.

    Returns:
        (matched, counted) reference tracks.
    """
    ref = reference[reference["track_id"] >= 0]
    sizes = ref.groupby(["event_id", "track_id"]).size().rename("n_ref")
    sizes = sizes[sizes >= min_hits]
    if pt_min > 0:
        if reference_pt is None:
            raise ValueError("pt_min > 0 needs the reference tracks' pT (reference_pt)")
        pt = reference_pt.reindex(sizes.index).to_numpy()
        sizes = sizes[pt >= pt_min]
    if sizes.empty:
        return 0, 0
    cand = candidates[candidates["track_id"] >= 0][["event_id", "hit_id", "track_id"]]
    shared = ref.merge(cand, on=["event_id", "hit_id"], suffixes=("", "_cand"))
    counts = shared.groupby(["event_id", "track_id", "track_id_cand"]).size().rename("n_shared").reset_index()
    best = counts.groupby(["event_id", "track_id"])["n_shared"].max()
    joined = sizes.to_frame().join(best, how="left").fillna({"n_shared": 0})
    matched = int(np.count_nonzero(joined["n_shared"].to_numpy() > fraction * joined["n_ref"].to_numpy()))
    return matched, len(joined)


def agreement(
    tracks: pd.DataFrame,
    reference: pd.DataFrame,
    min_hits: int = 7,
    fraction: float = 0.5,
    hits: pd.DataFrame | None = None,
    pt_min: float = 0.0,
    bfield_t: float = 2.0,
) -> dict:
    """Both directions: reference tracks covered by ``tracks`` and ``tracks`` covered by the reference.

    With ``pt_min`` > 0 only tracks whose circle-fit pT (from ``hits``: ``event_id, hit_id, x,
    y``, in a field of ``bfield_t`` tesla) reaches ``pt_min`` are counted, in both directions.
    """
    if pt_min > 0 and hits is None:
        raise ValueError("pt_min > 0 needs the events' hits to estimate each track's pT")
    ref_pt = track_pt(reference, hits, bfield_t) if pt_min > 0 else None
    tracks_pt = track_pt(tracks, hits, bfield_t) if pt_min > 0 else None
    covered, n_ref = matched_fraction(tracks, reference, min_hits, fraction, ref_pt, pt_min)
    back, n_tracks = matched_fraction(reference, tracks, min_hits, fraction, tracks_pt, pt_min)
    return {
        "reference_matched": covered / n_ref if n_ref else float("nan"),
        "tracks_matched": back / n_tracks if n_tracks else float("nan"),
        "n_reference_tracks": n_ref,
        "n_tracks": n_tracks,
        "min_hits": min_hits,
        "fraction": fraction,
        "pt_min": pt_min,
    }
