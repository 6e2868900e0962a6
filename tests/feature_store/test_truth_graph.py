import numpy as np
import pytest

from trackgnn.feature_store.truth_graph import group_key, truth_edges


def test_modulewise_joins_consecutive_modules_and_skips_noise():
    # particle 7: hits at distances 1, 2, 2.1 (last two on one module), 3; noise hit 4
    pid = np.array([7, 7, 7, 7, 0])
    dist = np.array([3.0, 1.0, 2.0, 2.1, 1.5])
    module = np.array([30, 10, 20, 20, 10])
    edges = truth_edges(pid, dist, module)
    got = {tuple(e) for e in edges.T}
    # run order: {1} -> {2, 3} -> {0}
    assert got == {(1, 2), (1, 3), (2, 0), (3, 0)}


def test_layerwise_groups_by_layer():
    vol, lay, mod = np.array([8, 8, 8]), np.array([2, 2, 4]), np.array([1, 2, 3])
    key_m = group_key(vol, lay, mod, "modulewise")
    key_l = group_key(vol, lay, mod, "layerwise")
    pid, dist = np.array([5, 5, 5]), np.array([1.0, 1.1, 2.0])
    assert truth_edges(pid, dist, key_m).shape[1] == 2  # chain 0-1-2
    assert {tuple(e) for e in truth_edges(pid, dist, key_l).T} == {(0, 2), (1, 2)}
    with pytest.raises(ValueError):
        group_key(vol, lay, mod, "spacepoint")


def test_no_particles_gives_empty():
    assert truth_edges(np.zeros(4, np.int64), np.zeros(4), np.arange(4)).shape == (2, 0)
