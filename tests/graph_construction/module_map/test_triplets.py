"""Triplet ranges of the module map (triplets.py) and the triplet cuts of graph building
(triplet_cuts.py, triplets.cpp) on the synthetic barrel."""

import numpy as np
import pytest

from tests.graph_construction.module_map import synthetic
from trackgnn.graph_construction.module_map import native
from trackgnn.graph_construction.module_map.build_map import MapAccumulator, event_doublets
from trackgnn.graph_construction.module_map.geometry import module_geometry
from trackgnn.graph_construction.module_map.graph import MapGraphBuilder
from trackgnn.graph_construction.module_map.mapfile import ModuleMapError
from trackgnn.graph_construction.module_map.quantities import hit_coordinates, quantity
from trackgnn.graph_construction.module_map.triplet_cuts import TripletTable, keep_triplets
from trackgnn.graph_construction.module_map.triplets import (
    TripletAccumulator,
    edge_terms,
    event_triplets,
    join_edges,
    triplet_values,
)
from trackgnn.graph_construction.truth import module_key

PT_MIN = 0.9


def _map(events, rotation=True, mirror=True, margin=0.0, triplet_margin=0.0, granularity="module"):
    geo = module_geometry(synthetic.detectors())
    acc, tri = MapAccumulator(geo, rotation, mirror), TripletAccumulator(geo, rotation, mirror, granularity)
    for arrays in events:
        acc.add(*event_doublets(arrays, geo, PT_MIN))
        tri.add(*event_triplets(arrays, geo, PT_MIN))
    mmap = acc.result({"margin": margin, "triplet_margin": triplet_margin, "triplet_granularity": granularity})
    for key, value in tri.result().items():
        setattr(mmap, key, value)
    return geo, mmap


def _edges(builder, arrays):
    src, dst, stats = builder.doublets(arrays, module_key(arrays))
    return set(zip(src.tolist(), dst.tolist())), stats


def _particle(arrays, pid):
    """The arrays of one particle's hits only (an event of one track)."""
    sel = arrays["particle_id"] == pid
    out = {k: v[sel] for k, v in arrays.items() if k not in ("truth_edges", "truth_target")}
    return out


def test_triplet_ranges_are_those_of_the_truth_triplets():
    events = [synthetic.event(s) for s in range(3)]
    _, mmap = _map(events, rotation=False, mirror=False)
    index = {tuple(t): n for n, t in enumerate(mmap.triples.tolist())}
    seen = set()
    for arrays in events:
        keys, c = module_key(arrays), hit_coordinates(arrays)
        for pid in np.unique(arrays["particle_id"][arrays["pt"] >= PT_MIN]):
            h = np.flatnonzero(arrays["particle_id"] == pid)
            h = h[np.argsort(arrays["r"][h])]  # one hit per layer, inner to outer
            triple = tuple(int(k) for k in keys[h])
            slope = [quantity("phi_slope", c[:, [h[n]]], c[:, [h[n + 1]]])[0] for n in (0, 1)]
            z0 = [quantity("z0", c[:, [h[n]]], c[:, [h[n + 1]]])[0] for n in (0, 1)]
            n = index[triple]
            lo, hi = mmap.triplet_lo[n], mmap.triplet_hi[n]
            assert lo[0] <= slope[1] - slope[0] <= hi[0] and lo[2] <= z0[1] - z0[0] <= hi[2]
            seen.add(triple)
    assert seen == set(index)  # no triple that no particle made
    assert mmap.triplet_count.sum() == sum(
        len(event_triplets(a, module_geometry(synthetic.detectors()), PT_MIN)[0]) for a in events
    )


def test_pooled_triples_of_a_rotation_share_the_range():
    geo, mmap = _map([synthetic.event(0)])
    index = {tuple(t): n for n, t in enumerate(mmap.triples.tolist())}
    # layers of 4, 6, 8 modules: the common rotations are multiples of pi (gcd 2)
    for t, n in index.items():
        dense = geo.index(np.array(t))
        rotated = []
        for d in dense:
            ring = geo.ring[d]
            rotated.append(
                int(geo.key[geo.members[ring, (geo.position[d] + geo.ring_size[ring] // 2) % geo.ring_size[ring]]])
            )
        assert np.array_equal(mmap.triplet_lo[index[tuple(rotated)]], mmap.triplet_lo[n])


GRANULARITIES = pytest.mark.parametrize("granularity", ["module", "ring"])


def test_ring_triplets_pool_every_module_triple_on_the_rings():
    geo, rings = _map([synthetic.event(0), synthetic.event(1)], granularity="ring")
    _, modules = _map([synthetic.event(0), synthetic.event(1)], rotation=False, mirror=False)
    ring_of = dict(zip(geo.key.tolist(), geo.ring.tolist()))
    index = {tuple(t): n for n, t in enumerate(rings.triples.tolist())}
    for t, n in zip(modules.triples.tolist(), range(len(modules.triples))):
        r = index[tuple(ring_of[k] for k in t)]  # every module triple's rings are a ring triple
        assert np.all(rings.triplet_lo[r] <= modules.triplet_lo[n]) and np.all(
            modules.triplet_hi[n] <= rings.triplet_hi[r]
        )
    assert len(rings.triples) < len(modules.triples)


@GRANULARITIES
def test_training_tracks_keep_every_edge_and_triplets_remove_fakes(granularity):
    events = [synthetic.event(s, n_noise=60) for s in range(4)]
    _, mmap = _map(events[:3], margin=0.5, triplet_margin=0.0, granularity=granularity)
    for arrays in events[:1]:
        doublets, _ = _edges(MapGraphBuilder(mmap, backend="numpy"), arrays)
        triplets, stats = _edges(MapGraphBuilder(mmap, backend="numpy", triplets=True), arrays)
        t = arrays["truth_edges"][:, arrays["pt"][arrays["truth_edges"][0]] >= PT_MIN]
        truth = set(zip(t[0].tolist(), t[1].tolist()))
        assert truth <= triplets <= doublets  # a training triplet is inside its own triple's range
        assert len(triplets) < len(doublets)  # noise doublets have no passing triplet
        assert stats["n_doublets"] == len(doublets)


@GRANULARITIES
def test_a_kinked_track_loses_the_edges_of_its_broken_triplet(granularity):
    arrays = synthetic.event(0)
    _, mmap = _map([arrays], margin=5.0, triplet_margin=0.1, granularity=granularity)
    pid = int(arrays["particle_id"][np.flatnonzero(arrays["pt"] > 2.0)[0]])
    track = _particle(arrays, pid)
    straight = _edges(MapGraphBuilder(mmap, backend="numpy", triplets=True), track)[0]
    assert len(straight) == 2  # the straight track: both edges kept
    kinked = {**track, "phi": track["phi"].copy()}
    outer = int(np.argmax(track["r"]))
    kinked["phi"][outer] += np.float32(0.01)  # 0.3 mrad/mm change of phi slope, module unchanged
    assert (
        synthetic.module_of(2, kinked["phi"][outer : outer + 1], kinked["z"][outer : outer + 1])[0]
        == track["module_id"][outer]
    )
    assert len(_edges(MapGraphBuilder(mmap, backend="numpy"), kinked)[0]) == 2  # the doublets still pass
    assert _edges(MapGraphBuilder(mmap, backend="numpy", triplets=True), kinked)[0] == set()


def test_pairs_in_no_triple_keep_their_doublets():
    arrays = synthetic.event(1, n_particles=6, n_noise=0)
    short = arrays["particle_id"] == 1
    two_hits = {
        k: v[~short | (arrays["r"] < 80)] for k, v in arrays.items() if k not in ("truth_edges", "truth_target")
    }
    from trackgnn.feature_store.truth_graph import group_key, truth_edges

    two_hits["truth_edges"] = truth_edges(
        two_hits["particle_id"],
        two_hits["r"].astype(np.float64),
        group_key(two_hits["volume_id"], two_hits["layer_id"], two_hits["module_id"], "modulewise"),
    )
    _, mmap = _map([two_hits], rotation=False, mirror=False)
    edges, stats = _edges(MapGraphBuilder(mmap, backend="numpy", triplets=True), _particle(two_hits, 1))
    assert len(edges) == 1 and stats["n_doublet_only"] == 1


@GRANULARITIES
@pytest.mark.skipif(not native.available(), reason="compiled module-map kernel not built")
def test_compiled_and_numpy_triplet_cuts_agree(granularity):
    events = [synthetic.event(s, n_noise=80) for s in range(3)]
    _, mmap = _map(events[:2], margin=0.3, triplet_margin=0.05, granularity=granularity)
    for threads in (1, 3):
        for arrays in events:
            a = MapGraphBuilder(mmap, backend="numpy", triplets=True).doublets(arrays, module_key(arrays))
            b = MapGraphBuilder(mmap, backend="native", threads=threads, triplets=True).doublets(
                arrays, module_key(arrays)
            )
            assert np.array_equal(np.sort(a[0] * 10**6 + a[1]), np.sort(b[0] * 10**6 + b[1]))
    # hand-made doublets with dr = 0 (infinite slopes) and a hit shared by many: same decisions
    rng = np.random.default_rng(0)
    coords = np.stack(
        [rng.choice([30.0, 60.0], 40), rng.uniform(-3, 3, 40), rng.uniform(-50, 50, 40), rng.normal(0, 1, 40)]
    )
    src, dst = rng.integers(0, 40, 300), rng.integers(0, 40, 300)
    pair = rng.integers(0, 5, 300)
    keys = np.array([[1, 2], [1, 3], [2, 3], [3, 4], [5, 6]])
    triples = np.array([[1, 2, 3], [1, 3, 4], [2, 3, 4]])
    lower, upper = rng.uniform(-0.2, 0, (3, 3)), rng.uniform(0, 0.2, (3, 3))
    table = TripletTable(keys, triples, lower, upper)
    expect = keep_triplets(table, src, dst, pair, coords)
    assert np.array_equal(keep_triplets(table, src, dst, pair, coords, backend="native", threads=2), expect)
    assert expect.any() and not expect.all()


def test_triplets_without_triplet_ranges_is_a_clear_error():
    geo = module_geometry(synthetic.detectors())
    acc = MapAccumulator(geo)
    acc.add(*event_doublets(synthetic.event(0), geo, PT_MIN))
    with pytest.raises(ModuleMapError, match="no triplet ranges"):
        MapGraphBuilder(acc.result({}), triplets=True)


@pytest.mark.skipif(not native.available(), reason="compiled module-map kernel not built")
@pytest.mark.parametrize("seed", range(3))
def test_compiled_triplet_cuts_equal_numpy_on_dense_doublets(seed):
    """Many doublets per hit and unit, slopes with ties and infinities (dr = 0), bounds from
    empty to unbounded: the compiled kernel's sorted windows and whole-run skips decide every
    doublet as numpy's test of every pair does."""
    rng = np.random.default_rng(seed)
    n_hits, n_edges = 30, 3000
    coords = np.stack(
        [
            rng.choice([30.0, 60.0, 90.0], n_hits),
            rng.choice([-0.2, 0.0, 0.1, 0.3, 3.1], n_hits),
            rng.choice([-40.0, 0.0, 10.0, 50.0], n_hits),
            rng.normal(0, 1, n_hits),
        ]
    )
    src, dst = rng.integers(0, n_hits, n_edges), rng.integers(0, n_hits, n_edges)
    keys = np.array([[1, 2], [1, 3], [2, 3], [2, 4], [3, 4], [4, 5], [6, 7]])
    pair = rng.integers(0, len(keys), n_edges)
    triples = np.array([[1, 2, 3], [1, 2, 4], [1, 3, 4], [2, 3, 4], [2, 4, 5], [3, 4, 5]])
    # bounds: actual triplet values of these doublets (so that differences fall exactly on
    # them), some at +-DBL_MAX or infinite (where the clamp of an overflowing difference
    # decides), one pair crossed (an empty range)
    e1, e2 = join_edges(src, dst, n_hits)
    values = triplet_values(*(edge_terms(coords, src, dst)[e] for e in (e1, e2)))
    picks = np.sort(values[rng.integers(0, len(values), (len(triples), 2))], axis=1)
    lower, upper = picks[:, 0].copy(), picks[:, 1].copy()
    big = np.finfo(float).max
    lower[0, 0], upper[1, 1], upper[4, 0] = -big, big, -big
    lower[3, 0], upper[3, 0] = -np.inf, np.inf
    lower[2, 0], upper[2, 0] = upper[2, 0], lower[2, 0]
    table = TripletTable(keys, triples, lower, upper)
    expect = keep_triplets(table, src, dst, pair, coords)
    for threads in (1, 2):
        assert np.array_equal(keep_triplets(table, src, dst, pair, coords, backend="native", threads=threads), expect)
    assert 0.05 < expect.mean() < 0.95
