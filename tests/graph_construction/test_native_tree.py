"""The compiled float32 k-d tree (backends/kdknn.cpp through backends/native.py) against brute force."""

import numpy as np
import pytest

from tests.graph_construction.native_required import require_native
from trackgnn.graph_construction.backends import native


@pytest.fixture(autouse=True)
def _built():
    require_native()


def brute_d2(points):
    d2 = ((points[:, None, :].astype(np.float64) - points[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    return d2


def check_knn(points, k, radius, leafsize, threads=2):
    index, dist2, count = native.NativeTree(points, leafsize).knn(k, radius, threads)
    d2 = brute_d2(points)
    inside = d2 < radius**2
    np.testing.assert_array_equal(count, np.minimum(inside.sum(1), k))
    for i in range(len(points)):
        c = count[i]
        assert (index[i, c:] == -1).all() and np.isinf(dist2[i, c:]).all()  # filled slots first
        got = index[i, :c]
        assert len(set(got.tolist())) == c and i not in got
        np.testing.assert_allclose(dist2[i, :c], d2[i, got], rtol=1e-5, atol=1e-6)
        # the k nearest: nothing left out is closer than the farthest kept (ties aside)
        left_out = np.setdiff1d(np.flatnonzero(inside[i]), got)
        if c and len(left_out):
            assert d2[i, left_out].min() >= d2[i, got].max() - 1e-6
    return index, dist2, count


@pytest.mark.parametrize("dim", [2, 5, 8, 16])  # 5: the generic (not unrolled) path
@pytest.mark.parametrize("leafsize", [1, 7, 64])
def test_knn_matches_brute_force(dim, leafsize):
    rng = np.random.default_rng(dim * 100 + leafsize)
    pts = rng.normal(size=(700, dim)).astype(np.float32)
    # the median distance to the 11th neighbour: about half the points capped
    radius = float(np.median(np.sqrt(np.sort(brute_d2(pts), axis=1)[:, 10])))
    _, _, count = check_knn(pts, 10, radius, leafsize)
    assert 0 < (count == 10).sum() < len(pts) and (count < 10).any()


def test_identical_points_and_fewer_points_than_k():
    # 3 positions held by 100 points each: one leaf however many the leaf size allows; a
    # point's twins are neighbours at distance 0, itself never
    pts = np.repeat(np.eye(3, dtype=np.float32), 100, axis=0)
    index, dist2, count = check_knn(pts, 20, 0.5, leafsize=8)
    assert (count == 20).all() and (dist2 == 0).all()
    assert (index // 100 == np.arange(300)[:, None] // 100).all()
    index, _, count = check_knn(pts[:5], 20, 10.0, leafsize=2)  # k above n - 1: all others
    assert (count == 4).all()


def test_threads_do_not_change_the_answer():
    rng = np.random.default_rng(7)
    pts = rng.normal(size=(5000, 8)).astype(np.float32)
    tree = native.NativeTree(pts, 64)
    one, three = tree.knn(12, 2.0, 1), tree.knn(12, 2.0, 3)
    for a, b in zip(one, three):
        np.testing.assert_array_equal(a, b)


def test_count_within_matches_brute_force():
    rng = np.random.default_rng(8)
    pts = rng.normal(size=(800, 4)).astype(np.float32)
    tree = native.NativeTree(pts, 16)
    queries = rng.choice(len(pts), 100, replace=False)
    expected = (brute_d2(pts)[queries] < 1.1**2).sum(1)
    np.testing.assert_array_equal(tree.count_within(queries, 1.1, 2), expected)
    assert len(tree.count_within(np.zeros(0, np.int64), 1.1, 2)) == 0
    with pytest.raises(IndexError, match="query ids"):
        tree.count_within(np.array([800]), 1.1, 2)


def test_bad_shapes_are_refused_before_the_compiled_code():
    for bad in (np.zeros((5, 0), np.float32), np.zeros(5, np.float32)):
        with pytest.raises(ValueError, match=r"\[N, D >= 1\]"):
            native.NativeTree(bad, 8)
    with pytest.raises(ValueError, match="leafsize"):
        native.NativeTree(np.zeros((5, 2), np.float32), 0)


def test_close_is_idempotent_and_a_closed_tree_refuses_queries():
    tree = native.NativeTree(np.zeros((4, 2), np.float32), 2)
    with pytest.raises(ValueError, match="k must be >= 1"):
        tree.knn(0, 1.0, 1)
    tree.close()
    tree.close()
    with pytest.raises(RuntimeError, match="after close"):
        tree.knn(2, 1.0, 1)
    with pytest.raises(RuntimeError, match="after close"):
        tree.count_within(np.array([0]), 1.0, 1)
