"""Cut an event down to some detector volumes (e.g. the TrackML pixel detector, volumes 7, 8,
9), so that the track metrics can be recomputed for that sub-detector alone: the figures
Exa.TrkX and gnn_tracking report are pixel-only.

What the restriction means for each figure (nothing else changes, the functions of
:mod:`trackgnn.metrics.tracking` run on the cut tables):

* a particle's hit count is its hits in the volumes: it is a target with ``>= min_hits`` of
  them (and the usual pT and eta cuts);
* a track is its hits in the volumes: it counts in the fake and duplicate rates with
  ``>= min_hits`` of them, and a track with no hit there is gone;
* the double majority is taken over the kept hits of the track and of the particle;
* the TrackML score keeps the truth file's hit weights (pT and order along the whole
  trajectory); the scorer divides by their sum over the kept hits, so a perfect track set
  still scores 1.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

#: TrackML's pixel detector: -z endcap, barrel, +z endcap.
PIXEL_VOLUMES = (7, 8, 9)


def restrict_to_volumes(
    hits: pd.DataFrame, truth: pd.DataFrame, labels: pd.DataFrame, volumes: Collection[int], source: str = "hits"
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The hits in ``volumes``, and the truth rows and track labels (``hit_id, track_id``) of
    those hits; ``source`` (the hits file) is named in the error when hits have no volume_id."""
    if "volume_id" not in hits.columns:
        raise ValueError(f"{source}: no volume_id column; expected TrackML hits to cut to volumes {sorted(volumes)}")
    kept = hits[hits["volume_id"].isin(list(volumes))].reset_index(drop=True)
    ids = kept["hit_id"]
    return (
        kept,
        truth[truth["hit_id"].isin(ids)].reset_index(drop=True),
        labels[labels["hit_id"].isin(ids)].reset_index(drop=True),
    )
