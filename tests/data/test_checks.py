"""Shards whose arrays disagree, or hold NaN features or scores, fail on read naming the
file, the event and the arrays."""

import h5py
import numpy as np
import pytest

from trackgnn.data import read_event_arrays, read_store, write_store
from trackgnn.data.checks import ShardLayoutError
from trackgnn.utils.finite import NonFiniteError


def event(n_hits=5, n_edges=3):
    """A consistent little graph event."""
    rng = np.random.default_rng(n_hits)
    return {
        "hit_id": np.arange(1, n_hits + 1),
        "x": rng.normal(size=(n_hits, 3)).astype(np.float32),
        "r": rng.uniform(30, 1000, n_hits).astype(np.float32),
        "z": rng.normal(size=n_hits).astype(np.float32),
        "edge_index": np.stack([np.arange(n_edges), np.arange(1, n_edges + 1)]),
        "y": np.ones(n_edges, bool),
        "gnn_score": rng.uniform(size=n_edges).astype(np.float32),
        "truth_edges": np.array([[0, 1], [1, 2]]),
        "truth_target": np.array([True, False]),
    }


def shard(tmp_path, **changes):
    arrays = {**event(), **changes}
    return write_store(tmp_path / "g.h5", {7: event(), 9: arrays})


def test_consistent_shard_reads_back(tmp_path):
    _, events = read_store(shard(tmp_path))
    np.testing.assert_array_equal(events[9]["edge_index"], event()["edge_index"])


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"r": np.ones(4, np.float32)},
            r"event 9: the per-hit arrays differ in length \('hit_id' has 5 rows, "
            r"'x' has 5 rows, 'r' has 4 rows, 'z' has 5 rows\)",
        ),
        ({"y": np.ones(2, bool)}, r"event 9: 'edge_index' has 3 edges but 'y' has 2 rows"),
        ({"gnn_score": np.ones(4, np.float32)}, r"event 9: 'edge_index' has 3 edges but 'gnn_score' has 4 rows"),
        ({"truth_target": np.ones(3, bool)}, r"event 9: 'truth_edges' has 2 edges but 'truth_target' has 3 rows"),
        (
            {"edge_index": np.array([[0, 1, 2], [1, 2, 5]])},
            r"event 9: 'edge_index' refers to hit index 5 but the "
            r"event has 5 hits",
        ),
        ({"edge_index": np.arange(3)}, r"event 9: 'edge_index' must be \[2, E\], got shape \(3,\)"),
        ({"x": np.ones(5, np.float32)}, r"event 9: 'x' must be \[hits, features\]"),
    ],
)
def test_mismatched_arrays_name_file_event_and_arrays(tmp_path, changes, message):
    path = shard(tmp_path, **changes)
    with pytest.raises(ShardLayoutError, match=rf"{path} {message}"):
        read_store(path)
    with pytest.raises(ShardLayoutError, match=message):
        read_event_arrays(path, 9)
    read_event_arrays(path, 7)  # the other event is fine


def test_nan_features_and_scores_are_counted(tmp_path):
    x = event()["x"]
    x[1, 2] = x[3, 0] = np.nan
    path = shard(tmp_path, x=x)
    with pytest.raises(NonFiniteError, match=rf"{path} event 9: 2 of 15 node features 'x' are NaN; the input hits"):
        read_store(path)
    score = event()["gnn_score"]
    score[0], score[2] = np.inf, np.nan
    path = shard(tmp_path, gnn_score=score)
    with pytest.raises(
        NonFiniteError,
        match=r"event 9: 2 of 3 edge scores 'gnn_score' are NaN or inf \(1 NaN, 1 inf\); "
        "the model file or the input features are corrupt",
    ):
        read_store(path, ["gnn_score"])


def test_arrays_written_outside_trackgnn_are_checked_too(tmp_path):
    path = shard(tmp_path)
    with h5py.File(path, "a") as f:
        del f["events/7/y"]
        f["events/7/y"] = np.ones(10, bool)
    with pytest.raises(ShardLayoutError, match=r"event 7: 'edge_index' has 3 edges but 'y' has 10 rows"):
        read_store(path)
