import numpy as np

from trackgnn.track_building.grouping import argmin_per_group, concat_ranges


def test_concat_ranges_lists_each_range_in_order():
    got = concat_ranges(np.array([5, 0, 9, 2]), np.array([3, 0, 1, 2]))
    np.testing.assert_array_equal(got, [5, 6, 7, 9, 2, 3])
    assert got.dtype == np.int64
    assert len(concat_ranges(np.array([], np.int64), np.array([], np.int64))) == 0


def test_concat_ranges_gathers_groups_like_split_and_concatenate():
    # the use in track building: members of chosen groups of one sorted array, pair by pair
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 300, 5000)
    order = np.argsort(labels, kind="stable")
    size = np.bincount(labels, minlength=300)
    first = np.cumsum(size) - size
    a, b = rng.integers(0, 300, 400), rng.integers(0, 300, 400)
    groups = np.split(order, first[1:])
    expected = np.concatenate([np.concatenate([groups[i], groups[j]]) for i, j in zip(a, b)])
    starts = np.stack([first[a], first[b]], axis=1).ravel()
    lengths = np.stack([size[a], size[b]], axis=1).ravel()
    np.testing.assert_array_equal(order[concat_ranges(starts, lengths)], expected)


def test_argmin_per_group_breaks_ties_by_position():
    group = np.array([2, 0, 2, 0, 5])
    score = np.array([1.0, 3.0, 1.0, 2.0, 0.0])
    np.testing.assert_array_equal(argmin_per_group(group, score), [3, 0, 4])
