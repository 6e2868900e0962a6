"""NaN edge scores never reach a track builder: a NaN compares false with every cut, so its
edge would silently join no track."""

import numpy as np
import pytest

from trackgnn.track_building import build_tracks_for_event
from trackgnn.utils.finite import NonFiniteError

SECTION = {"method": "connected_components", "cut": 0.5}


def scored_event(scores):
    return {
        "hit_id": np.arange(1, 5),
        "r": np.array([30.0, 70.0, 115.0, 170.0]),
        "z": np.zeros(4),
        "edge_index": np.array([[0, 1, 2], [1, 2, 3]]),
        "gnn_score": np.asarray(scores, np.float32),
    }


def test_finite_scores_build_tracks():
    labels = build_tracks_for_event(scored_event([0.9, 0.9, 0.1]), SECTION, "gnn_score")
    assert len(set(labels[:3].tolist())) == 1 and labels[3] != labels[0]


def test_nan_scores_are_refused_naming_the_event():
    with pytest.raises(
        NonFiniteError,
        match=r"^g\.h5 event 4: 1 of 3 edge scores 'gnn_score' are NaN; "
        "the model file or the input features of the scoring stage",
    ):
        build_tracks_for_event(scored_event([0.9, np.nan, 0.1]), SECTION, "gnn_score", "g.h5 event 4")
