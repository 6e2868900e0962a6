import numpy as np
import pytest

from tests.graph_construction.module_map import synthetic
from trackgnn.graph_construction.edges import clean_edges
from trackgnn.graph_construction.module_map.build_map import MapAccumulator, event_doublets
from trackgnn.graph_construction.module_map.geometry import module_geometry
from trackgnn.graph_construction.module_map.graph import MapGraphBuilder
from trackgnn.graph_construction.module_map.quantities import (
    MIRROR_SIGN,
    QUANTITIES,
    doublet_quantities,
    hit_coordinates,
)
from trackgnn.graph_construction.module_map.stage import map_event_graph
from trackgnn.graph_construction.truth import module_key, origin_distance

PT_MIN = 0.9


def _build(events, rotation=True, mirror=True, margin=0.0):
    geo = module_geometry(synthetic.detectors())
    acc = MapAccumulator(geo, rotation=rotation, mirror=mirror)
    for arrays in events:
        acc.add(*event_doublets(arrays, geo, PT_MIN))
    return geo, acc.result({"margin": margin, "pt_min": PT_MIN})


def _training(arrays):
    """(inner key, outer key, quantities) of the events' training doublets, computed directly."""
    e = arrays["truth_edges"][:, arrays["pt"][arrays["truth_edges"][0]] >= PT_MIN]
    keys, c = module_key(arrays), hit_coordinates(arrays)
    return keys[e[0]], keys[e[1]], doublet_quantities(c[:, e[0]], c[:, e[1]]), e


def _ranges(mmap):
    return {(int(a), int(b)): i for i, (a, b) in enumerate(mmap.pairs)}


def test_unpooled_map_holds_exactly_the_training_pairs_and_ranges():
    events = [synthetic.event(s) for s in range(3)]
    _, mmap = _build(events, rotation=False, mirror=False)
    doublets = [_training(a) for a in events]
    ka = np.concatenate([d[0] for d in doublets])
    kb = np.concatenate([d[1] for d in doublets])
    values = np.concatenate([d[2] for d in doublets])
    assert set(zip(ka.tolist(), kb.tolist())) == set(map(tuple, mmap.pairs.tolist()))
    index = _ranges(mmap)
    for p, (a, b) in enumerate(zip(ka, kb)):
        i = index[(int(a), int(b))]
        assert np.all(mmap.lo[i] <= values[p]) and np.all(values[p] <= mmap.hi[i])
    # the bounds are attained: min and max recomputed per pair
    for (a, b), i in index.items():
        sel = (ka == a) & (kb == b)
        assert np.array_equal(mmap.lo[i], values[sel].min(0)) and np.array_equal(mmap.hi[i], values[sel].max(0))
        assert mmap.count[i] == sel.sum()


def test_pooling_gives_rotated_and_mirrored_pairs_the_same_ranges():
    events = [synthetic.event(s) for s in range(2)]
    geo, plain = _build(events, rotation=False, mirror=False)
    _, pooled = _build(events, rotation=True, mirror=True)
    index = _ranges(pooled)
    assert set(_ranges(plain)) < set(index)  # pooling only adds pairs
    m = len(geo.key)
    for (ka, kb), i in _ranges(plain).items():
        a, b = geo.index(np.array([ka, kb]))
        # every rotation of the pair that is a symmetry of both rings shares the pooled range
        for s in range(1, 9):
            ra, rb = geo.ring[a], geo.ring[b]
            na, nb = geo.ring_size[ra], geo.ring_size[rb]
            if (s * na) % 8 or (s * nb) % 8:  # rotation by 2 pi s / 8 must move both rings by whole steps
                continue
            ra_k = (geo.position[a] + s * na // 8) % na
            rb_k = (geo.position[b] + s * nb // 8) % nb
            rotated = (int(geo.key[geo.members[ra, ra_k]]), int(geo.key[geo.members[rb, rb_k]]))
            assert rotated in index
            assert np.array_equal(pooled.lo[index[rotated]], pooled.lo[index[(ka, kb)]])
        mirrored = (int(geo.key[geo.mirror[a]]), int(geo.key[geo.mirror[b]]))
        j = index[(ka, kb)]
        assert np.array_equal(pooled.lo[index[mirrored]], np.where(MIRROR_SIGN > 0, pooled.lo[j], -pooled.hi[j]))
        # the pooled range contains the plain one
        assert np.all(pooled.lo[j] <= plain.lo[i]) and np.all(plain.hi[i] <= pooled.hi[j])
    assert m == len(geo.key)


def test_margin_widens_each_range_by_a_fraction_of_its_width():
    _, mmap = _build([synthetic.event(0)], margin=0.1)
    lower, upper = mmap.bounds()
    width = mmap.hi - mmap.lo
    assert np.allclose(lower, mmap.lo - 0.1 * width) and np.allclose(upper, mmap.hi + 0.1 * width)
    assert np.array_equal(mmap.bounds(0.0)[0], mmap.lo)


@pytest.mark.parametrize("backend", ["numpy", "auto"])
@pytest.mark.parametrize("rotation", [False, True])
def test_graph_keeps_every_training_edge_of_the_map_events(rotation, backend):
    events = [synthetic.event(s) for s in range(3)]
    _, mmap = _build(events, rotation=rotation, mirror=rotation)
    builder = MapGraphBuilder(mmap, margin=0.0, chunk=7, backend=backend)  # tiny chunks: many blocks
    for arrays in events:
        graph, stats = map_event_graph(builder, arrays)
        e = _training(arrays)[3]
        kept = set(map(tuple, np.sort(graph["edge_index"], axis=0).T.tolist()))
        assert all(tuple(sorted(p)) in kept for p in e.T.tolist())
        assert stats["n_unseen_hits"] == 0
        assert graph["y"].sum() >= e.shape[1]


@pytest.mark.parametrize("backend", ["numpy", "auto"])
def test_graph_equals_brute_force_over_all_hit_pairs(backend):
    _, mmap = _build([synthetic.event(s) for s in range(4)], margin=0.3)
    arrays = synthetic.event(99, n_particles=60, n_noise=80)
    keys = module_key(arrays)
    src, dst, _ = MapGraphBuilder(mmap, chunk=5, backend=backend).doublets(arrays, keys)
    lower, upper = mmap.bounds()
    c = hit_coordinates(arrays)
    i, j = np.meshgrid(np.arange(len(keys)), np.arange(len(keys)), indexing="ij")
    i, j = i.ravel(), j.ravel()
    index = _ranges(mmap)
    p = np.array([index.get((int(a), int(b)), -1) for a, b in zip(keys[i], keys[j])])
    i, j, p = i[p >= 0], j[p >= 0], p[p >= 0]
    q = doublet_quantities(c[:, i], c[:, j])
    ok = np.all((q >= lower[p]) & (q <= upper[p]), axis=1)
    expected = set(zip(i[ok].tolist(), j[ok].tolist()))
    assert len(expected) > 0 and set(zip(src.tolist(), dst.tolist())) == expected
    assert len(src) == len(expected)  # no doublet found twice


def test_hits_on_unseen_modules_are_counted():
    _, mmap = _build([synthetic.event(0, n_particles=3, n_noise=0, pt_range=(2, 3))], rotation=False, mirror=False)
    arrays = synthetic.event(1)
    keys = module_key(arrays)
    unseen = ~np.isin(keys, mmap.pairs)
    assert unseen.any()
    _, _, stats = MapGraphBuilder(mmap).doublets(arrays, keys)
    assert stats["n_unseen_hits"] == int(unseen.sum())


def test_phi_windows_across_the_branch_cut():
    """Pairs whose hits straddle phi = +-pi are found (modules centred at phi = pi)."""
    events = [synthetic.event(s, n_particles=200) for s in range(2)]
    _, mmap = _build(events, margin=0.0)
    arrays = events[0]
    graph, _ = map_event_graph(MapGraphBuilder(mmap), arrays)
    s, t = graph["edge_index"]
    straddle = np.abs(arrays["phi"][s] - arrays["phi"][t]) > np.pi
    assert straddle.any() and graph["y"][straddle].any()
    edges = clean_edges(s, t, module_key(arrays), origin_distance(arrays))
    assert np.array_equal(edges, graph["edge_index"])
    assert len(QUANTITIES) == mmap.lo.shape[1]


def test_compiled_kernel_equals_numpy():
    from trackgnn.graph_construction.module_map import native

    if not native.available():
        pytest.skip(f"compiled module-map kernel not built: {native.missing_reason()}")
    _, mmap = _build([synthetic.event(s) for s in range(4)], margin=0.3)
    mmap.lo[::7, 0], mmap.hi[::7, 0] = -np.pi, np.pi  # some full-circle dphi windows
    for seed in (5, 6):
        arrays = synthetic.event(seed, n_particles=80, n_noise=100)
        keys = module_key(arrays)
        got = MapGraphBuilder(mmap, backend="native").doublets(arrays, keys)
        want = MapGraphBuilder(mmap, backend="numpy", chunk=11).doublets(arrays, keys)
        assert len(got[0]) == len(want[0]) > 0
        assert set(zip(got[0].tolist(), got[1].tolist())) == set(zip(want[0].tolist(), want[1].tolist()))
        assert got[2] == want[2]
        threaded = MapGraphBuilder(mmap, backend="native", threads=3).doublets(arrays, keys)
        assert all(np.array_equal(x, y) for x, y in zip(threaded[:2], got[:2])) and threaded[2] == got[2]


@pytest.mark.parametrize("margin", [0.0, 0.1])
def test_doublets_with_equal_radii_stay_inside_their_range(margin):
    """dr = 0 gives infinite z0 and phi slope (stored as the largest floats): the range spans
    them and bounds() must not turn the width into NaN (which would reject every doublet)."""
    arrays = synthetic.event(0, n_particles=6, n_noise=0, pt_range=(2, 3))
    outer = arrays["r"] == synthetic.LAYERS[2][1]
    arrays["r"] = np.where(outer, synthetic.LAYERS[1][1], arrays["r"]).astype(
        np.float32
    )  # layers 2 and 3 at one radius
    _, mmap = _build([arrays], margin=margin)
    assert np.any(np.abs(mmap.hi) > 1e300) and np.any(np.abs(mmap.lo) > 1e300)
    lower, upper = mmap.bounds()
    assert not np.isnan(lower).any() and not np.isnan(upper).any()
    graph, _ = map_event_graph(MapGraphBuilder(mmap), arrays)
    kept = set(map(tuple, np.sort(graph["edge_index"], axis=0).T.tolist()))
    assert all(tuple(sorted(p)) in kept for p in _training(arrays)[3].T.tolist())
