import numpy as np
import pytest

from trackgnn.edge_classifier.apply import subset_edges


def test_subset_edges_keeps_arrays_consistent():
    arrays = {
        "x": np.zeros((4, 3)),
        "edge_index": np.array([[0, 1, 2], [1, 2, 3]]),
        "y": np.array([True, False, True]),
        "filter_score": np.array([0.9, 0.1, 0.8], np.float32),
        "truth_edges": np.array([[0, 2], [1, 3]]),
        "truth_target": np.array([True, True]),
    }
    out = subset_edges(arrays, np.array([True, False, True]))
    assert out["edge_index"].tolist() == [[0, 2], [1, 3]]
    assert out["y"].tolist() == [True, True] and out["filter_score"].tolist() == pytest.approx([0.9, 0.8])
    assert out["truth_edges"].shape == (2, 2) and out["x"].shape == (4, 3)


def test_subset_edges_rejects_inconsistent_arrays():
    arrays = {"edge_index": np.zeros((2, 3), int), "y": np.zeros(2, bool)}
    with pytest.raises(ValueError, match="edge array 'y'"):
        subset_edges(arrays, np.ones(3, bool))
