"""Truth candidates with swapped neighbour hits (the stand-in for GNN errors)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.fitting.mock import swap_neighbour_hits, truth_candidates


def _event(n_particles=40, n_layers=8, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(1, n_particles + 1):
        phi = rng.uniform(-np.pi, np.pi)
        for layer in range(n_layers):
            r = 30.0 + 40.0 * layer
            rows.append((p, r * np.cos(phi), r * np.sin(phi), r * 0.3, 8, 2 * (layer + 1)))
    frame = pd.DataFrame(rows, columns=["particle_id", "x", "y", "z", "volume_id", "layer_id"])
    frame["hit_id"] = np.arange(1, len(frame) + 1)
    noise = pd.DataFrame(
        {
            "hit_id": [len(frame) + 1],
            "particle_id": [0],
            "x": [5.0],
            "y": [5.0],
            "z": [0.0],
            "volume_id": [8],
            "layer_id": [2],
        }
    )
    return pd.concat([frame, noise], ignore_index=True)


def test_swaps_relabel_the_asked_share_between_same_layer_neighbours():
    event = _event()
    cands = truth_candidates(event[["hit_id", "particle_id"]])
    assert (cands["track_id"] < 0).sum() == 1  # the noise hit
    out, n = swap_neighbour_hits(event, cands, 0.1, seed=3)
    changed = out["track_id"].to_numpy() != cands["track_id"].to_numpy()
    labelled = int((cands["track_id"] >= 0).sum())
    assert n == changed.sum() and abs(n - 0.1 * labelled) <= 2
    assert out.loc[cands["track_id"] < 0, "track_id"].equals(cands.loc[cands["track_id"] < 0, "track_id"])
    # swaps keep every candidate's size and move labels only within a layer
    assert (out.groupby("track_id").size() == cands.groupby("track_id").size()).all()
    layer = event.set_index("hit_id").loc[out["hit_id"], "layer_id"].to_numpy()
    for key in np.unique(layer):
        on = layer == key
        assert sorted(out["track_id"][on]) == sorted(cands["track_id"][on])


def test_zero_fraction_changes_nothing():
    event = _event(seed=1)
    cands = truth_candidates(event[["hit_id", "particle_id"]])
    out, n = swap_neighbour_hits(event, cands, 0.0)
    assert n == 0 and out["track_id"].equals(cands["track_id"])
