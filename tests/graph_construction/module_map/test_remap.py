import numpy as np
import pytest

from tests.graph_construction.module_map import synthetic
from trackgnn.graph_construction.module_map.build_map import MapAccumulator, event_doublets
from trackgnn.graph_construction.module_map.geometry import geometry_digest, module_geometry
from trackgnn.graph_construction.module_map.graph import MapGraphBuilder
from trackgnn.graph_construction.module_map.mapfile import ModuleMapError
from trackgnn.graph_construction.module_map.remap import remap_map
from trackgnn.graph_construction.module_map.triplets import TripletAccumulator, event_triplets
from trackgnn.graph_construction.truth import module_key


def _renumbered(seed=0):
    """The synthetic detector with module ids shuffled within each layer, and the id translation."""
    table = synthetic.detectors()
    rng = np.random.default_rng(seed)
    new_ids = table["module_id"].to_numpy().copy()
    for layer in table["layer_id"].unique():
        sel = np.flatnonzero(table["layer_id"].to_numpy() == layer)
        new_ids[sel] = rng.permutation(new_ids[sel])
    translate = {(l, old): new for l, old, new in zip(table["layer_id"], table["module_id"], new_ids)}
    return table.assign(module_id=new_ids), translate


@pytest.mark.parametrize("granularity", [None, "ring", "module"])
def test_remapped_map_builds_the_same_edges_on_renumbered_events(granularity):
    geo = module_geometry(synthetic.detectors())
    acc = MapAccumulator(geo)
    tri = TripletAccumulator(geo, granularity=granularity or "ring")
    for s in range(3):
        acc.add(*event_doublets(synthetic.event(s, n_noise=60), geo, 0.9))
        tri.add(*event_triplets(synthetic.event(s, n_noise=60), geo, 0.9))
    mmap = acc.result({"margin": 0.3, "triplet_margin": 0.1, "triplet_granularity": granularity})
    if granularity:
        for key, value in tri.result().items():
            setattr(mmap, key, value)
    target, translate = _renumbered()
    moved = remap_map(mmap, target)
    assert moved.attrs["geometry_digest"] == geometry_digest(target) != mmap.attrs["geometry_digest"]
    arrays = synthetic.event(7, n_noise=60)
    renumbered = {
        **arrays,
        "module_id": np.array([translate[(l, m)] for l, m in zip(arrays["layer_id"], arrays["module_id"])], np.int32),
    }
    triplets = granularity is not None  # triplet cuts, when on, give the same edges too
    want = MapGraphBuilder(mmap, triplets=triplets).doublets(arrays, module_key(arrays))
    got = MapGraphBuilder(moved, triplets=triplets).doublets(renumbered, module_key(renumbered))
    assert len(want[0]) > 0
    assert set(zip(got[0].tolist(), got[1].tolist())) == set(zip(want[0].tolist(), want[1].tolist()))


def test_remap_to_another_detector_is_refused():
    geo = module_geometry(synthetic.detectors())
    acc = MapAccumulator(geo)
    acc.add(*event_doublets(synthetic.event(0), geo, 0.9))
    other = synthetic.detectors()
    other["cz"] = other["cz"] * 1.5
    with pytest.raises(ModuleMapError, match="no counterpart"):
        remap_map(acc.result(), other)
