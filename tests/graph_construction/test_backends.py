import numpy as np
import pytest

from tests.graph_construction.native_required import require_native
from trackgnn.graph_construction.backends import BACKENDS, get_backend


def brute(points, radius):
    d = np.linalg.norm(points[:, None] - points[None], axis=-1)
    np.fill_diagonal(d, np.inf)
    return d


#: every backend, the kdtree with each of its engines
SEARCHES = [n for n in BACKENDS if n != "kdtree"] + ["kdtree:native", "kdtree:scipy"]


def available(name):
    if name == "faiss":
        pytest.importorskip("faiss")
    if name == "kdtree:native":
        require_native()
    name, _, engine = name.partition(":")
    opts = {"device": "cpu"} if name in ("faiss", "torch") else {"engine": engine} if engine else {}
    return get_backend(name, threads=1, **opts)


def test_native_engine_is_built_and_is_the_default():
    # the package's install compiles the float32 tree (setup.py); a silent fallback to scipy
    # would cost 2.5x in graph construction
    require_native()
    assert get_backend("kdtree").engine == "native"
    assert get_backend("kdtree", engine="scipy").engine == "scipy"
    with pytest.raises(ValueError, match="engine must be one of"):
        get_backend("kdtree", engine="fortran")


@pytest.mark.parametrize("name", SEARCHES)
def test_radius_search_matches_brute_force(name):
    rng = np.random.default_rng(0)
    pts = rng.normal(size=(400, 4)).astype(np.float32)
    radius = 0.9
    d = brute(pts, radius)
    found = available(name).search(pts, radius, None)
    expected = {(i, j) for i, j in zip(*np.nonzero(d < radius))}
    assert set(zip(found.src.tolist(), found.dst.tolist())) == expected
    np.testing.assert_allclose(found.dist, d[found.src, found.dst], rtol=1e-4)
    assert found.n_dropped == 0


@pytest.mark.parametrize("name", SEARCHES)
def test_cap_keeps_nearest_and_counts_dropped(name):
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(300, 3)).astype(np.float32)
    radius, k = 1.0, 5
    d = brute(pts, radius)
    found = available(name).search(pts, radius, k)
    inside = (d < radius).sum(1)
    assert found.n_dropped == int(np.maximum(inside - k, 0).sum()) > 0
    assert found.n_capped == int((inside > k).sum())
    per_query = np.bincount(found.src, minlength=len(pts))
    np.testing.assert_array_equal(per_query, np.minimum(inside, k))
    # kept neighbours are the nearest ones
    kth = np.sort(d, axis=1)[:, k - 1]
    assert (found.dist <= kth[found.src] + 1e-5).all()


@pytest.mark.parametrize("name", SEARCHES)
def test_capped_search_on_duplicates_and_tiny_inputs(name):
    # 50 copies of one point: every query keeps exactly k of its 49 twins, never itself, and
    # the other 41 are counted as dropped (scipy and FAISS may leave the query itself outside
    # their k + 1 slots among the ties at distance 0)
    backend = available(name)
    same = backend.search(np.zeros((50, 3), np.float32), 0.1, 8)
    assert (np.bincount(same.src, minlength=50) == 8).all() and (same.src != same.dst).all()
    assert (same.n_dropped, same.n_capped) == (50 * 41, 50)
    # two points within the radius, k above n - 1: both directions, nothing capped
    two = backend.search(np.array([[0, 0], [0.05, 0]], np.float32), 0.1, 5)
    assert sorted(zip(two.src.tolist(), two.dst.tolist())) == [(0, 1), (1, 0)]
    assert (two.n_dropped, two.n_capped) == (0, 0)
    np.testing.assert_allclose(two.dist, 0.05, rtol=1e-5)


@pytest.mark.parametrize("name", SEARCHES)
def test_degenerate_inputs(name):
    backend = available(name)
    assert len(backend.search(np.zeros((1, 3), np.float32), 0.1, 5).src) == 0
    assert len(backend.search(np.zeros((0, 3), np.float32), 0.1, 5).src) == 0
    with pytest.raises(ValueError, match="NaN"):
        backend.search(np.full((3, 2), np.nan, np.float32), 0.1, 5)
    with pytest.raises(ValueError, match="radius"):
        backend.search(np.zeros((3, 2), np.float32), 0.0, 5)


def test_unknown_backend():
    with pytest.raises(ValueError, match="kdtree"):
        get_backend("annoy")
    with pytest.raises(ValueError, match="bad option"):
        get_backend("kdtree", colour="red")


def test_faiss_ivf_is_close_to_exact_and_validates_options():
    pytest.importorskip("faiss")
    rng = np.random.default_rng(2)
    # clustered points, as embedded hits are: IVF cells follow the clusters
    centres = rng.normal(size=(50, 4)) * 5
    pts = (centres[rng.integers(0, 50, 3000)] + rng.normal(size=(3000, 4)) * 0.3).astype(np.float32)
    radius, k = 0.5, 20
    exact = get_backend("faiss", threads=1, device="cpu").search(pts, radius, k)
    approx = get_backend("faiss", threads=1, device="cpu", index="ivf", nprobe=8).search(pts, radius, k)
    exact_pairs = set(zip(exact.src.tolist(), exact.dst.tolist()))
    approx_pairs = set(zip(approx.src.tolist(), approx.dst.tolist()))
    d = np.linalg.norm(pts[approx.src] - pts[approx.dst], axis=1)
    assert (d < radius).all()  # approximate: may miss neighbours, never invents far ones
    assert len(approx_pairs & exact_pairs) >= 0.95 * len(exact_pairs)
    everything = get_backend("faiss", threads=1, device="cpu", index="ivf", nlist=4, nprobe=4).search(pts, radius, k)
    assert set(zip(everything.src.tolist(), everything.dst.tolist())) == exact_pairs  # all cells visited: exact
    with pytest.raises(ValueError, match="flat' or 'ivf"):
        get_backend("faiss", index="hnsw")


@pytest.mark.parametrize("name", ["kdtree:native", "kdtree:scipy", "faiss"])
def test_dropped_neighbours_sampled(name, monkeypatch):
    """``count_dropped: sample`` recounts a random subset of the capped queries and scales up:
    close to the exact count, flagged as an estimate; exact when the subset would be all of them."""
    from trackgnn.graph_construction.backends import base

    if name == "faiss":
        pytest.importorskip("faiss")
    rng = np.random.default_rng(3)
    pts = rng.normal(size=(3000, 3)).astype(np.float32)
    radius, k = 0.6, 8
    name, _, engine = name.partition(":")
    opts = {"device": "cpu"} if name == "faiss" else {"engine": engine}
    exact = get_backend(name, threads=1, **opts).search(pts, radius, k)
    assert exact.n_capped > 1000 and not exact.dropped_estimated
    monkeypatch.setattr(base, "DROPPED_SAMPLE", 500)
    sampled = get_backend(name, threads=1, count_dropped="sample", **opts).search(pts, radius, k)
    assert sampled.dropped_estimated
    assert sampled.n_dropped == pytest.approx(exact.n_dropped, rel=0.1)
    assert sampled.n_capped == pytest.approx(exact.n_capped, rel=0.1)
    np.testing.assert_array_equal(sampled.src, exact.src)  # only the count is estimated
    monkeypatch.setattr(base, "DROPPED_SAMPLE", 10**6)
    whole = get_backend(name, threads=1, count_dropped="sample", **opts).search(pts, radius, k)
    assert (whole.n_dropped, whole.n_capped, whole.dropped_estimated) == (exact.n_dropped, exact.n_capped, False)
    off = get_backend(name, threads=1, count_dropped=False, **opts).search(pts, radius, k)
    assert off.n_dropped == 0 and off.n_capped >= exact.n_capped  # hits with all k slots filled


def test_count_dropped_mode_is_checked():
    with pytest.raises(ValueError, match="count_dropped must be"):
        get_backend("kdtree", count_dropped="approx")


@pytest.mark.parametrize("leafsize", [1, 16, 64])
@pytest.mark.parametrize("engine", ["native", "scipy"])
def test_kdtree_leafsize_keeps_the_k_nearest(leafsize, engine, monkeypatch):
    # the leaf size only changes how the tree is searched: every hit keeps its k nearest
    # within the radius, as brute force finds them, whatever the leaves hold
    rng = np.random.default_rng(3)
    pts = rng.normal(size=(1500, 6)).astype(np.float32)
    radius, k = 1.2, 8
    d = brute(pts, radius)
    from trackgnn.graph_construction.backends import kdtree, native

    built = []
    if engine == "scipy":
        tree = kdtree.cKDTree

        def recording_tree(points, **kwargs):
            built.append(kwargs.get("leafsize"))
            return tree(points, **kwargs)

        monkeypatch.setattr(kdtree, "cKDTree", recording_tree)
    else:
        tree = native.NativeTree

        def recording_tree(points, leafsize):
            built.append(leafsize)
            return tree(points, leafsize)

        monkeypatch.setattr(native, "NativeTree", recording_tree)
    found = get_backend("kdtree", threads=1, leafsize=leafsize, engine=engine).search(pts, radius, k)
    # the option reaches both scipy trees (leaf order, search), the native one
    assert built == [leafsize] * (2 if engine == "scipy" else 1)
    expected = set()
    for i, row in enumerate(d):
        inside = np.flatnonzero(row < radius)
        expected |= {(i, j) for j in inside[np.argsort(row[inside], kind="stable")][:k]}
    assert set(zip(found.src.tolist(), found.dst.tolist())) == expected
    assert found.n_dropped == int(np.maximum((d < radius).sum(1) - k, 0).sum()) > 0


@pytest.mark.parametrize("leafsize", [0, 2.5, "32"])
def test_kdtree_leafsize_is_checked(leafsize):
    with pytest.raises(ValueError, match="leafsize must be an integer >= 1"):
        get_backend("kdtree", leafsize=leafsize)


def test_kdtree_leaf_order_is_a_permutation_that_keeps_neighbours_together():
    # the search runs on the points rearranged in leaf order and maps the pairs back: the
    # order must be a permutation, and it must put points that are close in space close in
    # memory (the reason for it), here several times closer than the input order does
    from trackgnn.graph_construction.backends.kdtree import leaf_ordered

    rng = np.random.default_rng(4)  # 8-d clusters of ~10 points, like a trained embedding
    centres = rng.normal(size=(500, 8))
    pts = (centres[rng.integers(0, 500, 5000)] + 0.05 * rng.normal(size=(5000, 8))).astype(np.float32)
    ordered, order = leaf_ordered(pts, leafsize=32)
    np.testing.assert_array_equal(np.sort(order), np.arange(len(pts)))
    np.testing.assert_array_equal(ordered, pts[order])
    assert ordered.flags["C_CONTIGUOUS"] and order.dtype == np.int64

    def step(p):
        return np.linalg.norm(np.diff(p, axis=0), axis=1).mean()

    assert step(ordered) < 0.5 * step(pts)  # 0.30 here
