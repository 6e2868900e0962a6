"""Cutting an event to some volumes keeps the hits there, their truth and their labels."""

from __future__ import annotations

import pandas as pd
import pytest

from trackgnn.metrics.volumes import PIXEL_VOLUMES, restrict_to_volumes


def test_keeps_the_hits_of_the_volumes_and_what_names_them():
    hits = pd.DataFrame({"hit_id": [1, 2, 3, 4], "volume_id": [8, 13, 7, 17]})
    truth = pd.DataFrame({"hit_id": [4, 3, 2, 1], "particle_id": [9, 9, 5, 5]})
    labels = pd.DataFrame({"hit_id": [1, 2, 4], "track_id": [0, 0, 1]})  # hit 3 left out
    kept_hits, kept_truth, kept_labels = restrict_to_volumes(hits, truth, labels, PIXEL_VOLUMES)
    assert kept_hits["hit_id"].tolist() == [1, 3]
    assert kept_truth["hit_id"].tolist() == [3, 1] and kept_truth["particle_id"].tolist() == [9, 5]
    # track 1 (hit 4, strips) is gone, track 0 keeps its pixel hit
    assert kept_labels.to_dict("list") == {"hit_id": [1], "track_id": [0]}


def test_hits_without_volume_id_are_refused():
    hits = pd.DataFrame({"hit_id": [1]})
    with pytest.raises(ValueError, match=r"^event1-hits\.csv: no volume_id column"):
        restrict_to_volumes(hits, hits, hits.assign(track_id=0), (7,), "event1-hits.csv")
