"""Truth-built track candidates with GNN-like errors, to measure and test the fit.

A GNN's track candidates are mostly right but mix in hits of nearby particles. A crude
stand-in: start from the true particles (:func:`trackgnn.tracks.truth_reference_tracks`,
noise hits as negative singletons) and swap the labels of hit pairs, each hit with the
nearest hit of another particle on the same layer, until a given fraction of the particle
hits carries a wrong label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.tracks import truth_reference_tracks


def truth_candidates(truth: pd.DataFrame) -> pd.DataFrame:
    """``hit_id, track_id`` with one candidate per particle; noise hits negative singletons."""
    hit_id, track = truth_reference_tracks(truth)
    return pd.DataFrame({"hit_id": hit_id, "track_id": track})


def swap_neighbour_hits(
    hits: pd.DataFrame,
    candidates: pd.DataFrame,
    fraction: float,
    seed: int = 0,
) -> tuple[pd.DataFrame, int]:
    """Swap the labels of hit pairs of neighbouring candidates.

    Args:
        hits: the event's hits (``hit_id, x, y, z, volume_id, layer_id``).
        candidates: ``hit_id, track_id`` (negative ids are left alone).
        fraction: share of the labelled (non-negative) hits that should end up relabelled;
            each swap relabels two hits.
        seed: random seed of the choice of hits.

    Returns:
        (the relabelled candidates, number of hits relabelled).
    """
    from scipy.spatial import cKDTree

    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction {fraction}; expected a number in [0, 1]")
    frame = candidates.merge(hits[["hit_id", "x", "y", "z", "volume_id", "layer_id"]], on="hit_id", how="left")
    track = frame["track_id"].to_numpy(np.int64).copy()
    labelled = np.flatnonzero(track >= 0)
    partner = np.full(len(frame), -1, dtype=np.int64)
    xyz = frame[["x", "y", "z"]].to_numpy(np.float64)
    layer = frame["volume_id"].to_numpy(np.int64) * 1000 + frame["layer_id"].to_numpy(np.int64)
    for key in np.unique(layer[labelled]):
        members = labelled[layer[labelled] == key]
        if len(members) < 2:
            continue
        k = min(8, len(members))
        _, near = cKDTree(xyz[members]).query(xyz[members], k=k)
        near = members[near.reshape(len(members), k)]
        other = track[near] != track[members][:, None]
        has = other.any(axis=1)
        partner[members[has]] = near[has, other[has].argmax(axis=1)]
    rng = np.random.default_rng(seed)
    target = int(round(fraction * len(labelled)))
    used = np.zeros(len(frame), dtype=bool)
    n_relabelled = 0
    for i in rng.permutation(labelled):
        if n_relabelled + 2 > target:
            break
        j = partner[i]
        if j < 0 or used[i] or used[j] or track[i] == track[j]:
            continue
        track[i], track[j] = track[j], track[i]
        used[i] = used[j] = True
        n_relabelled += 2
    out = pd.DataFrame({"hit_id": frame["hit_id"].to_numpy(np.int64), "track_id": track})
    return out, n_relabelled
