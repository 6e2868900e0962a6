import json

import h5py
import numpy as np
import pytest

from tests.graph_construction.module_map import synthetic
from trackgnn.graph_construction.module_map.build_map import MapAccumulator, event_doublets
from trackgnn.graph_construction.module_map.geometry import module_geometry
from trackgnn.graph_construction.module_map.mapfile import FORMAT_VERSION, ModuleMapError, load_map, save_map


@pytest.fixture
def built(tmp_path):
    geo = module_geometry(synthetic.detectors())
    acc = MapAccumulator(geo)
    acc.add(*event_doublets(synthetic.event(0), geo, 0.9))
    path = save_map(tmp_path / "map.h5", acc.result({"margin": 0.05, "pt_min": 0.9}))
    return geo, path


def test_round_trip_keeps_arrays_and_metadata(built):
    geo, path = built
    mmap = load_map(path, geo.digest)
    assert mmap.attrs["format_version"] == FORMAT_VERSION and mmap.attrs["geometry_digest"] == geo.digest
    assert mmap.attrs["margin"] == 0.05 and mmap.attrs["quantities"] == ["dphi", "dz", "z0", "phi_slope", "deta"]
    with h5py.File(path) as f:
        assert np.array_equal(f["pairs"][()], mmap.pairs) and np.array_equal(f["hi"][()], mmap.hi)
    assert len(mmap.pairs) == len(np.unique(mmap.pairs, axis=0)) > 0
    assert not list(path.parent.glob(".map.h5*"))  # no temporary left behind


def test_another_geometry_is_refused(built):
    _, path = built
    moved = synthetic.detectors()
    moved.loc[3, "cz"] += 1.0
    with pytest.raises(ModuleMapError, match=r"map\.h5.*geometry"):
        load_map(path, module_geometry(moved).digest)


def test_another_version_is_refused(built):
    _, path = built
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = json.dumps(FORMAT_VERSION + 1)
    with pytest.raises(ModuleMapError, match=r"map\.h5.*version"):
        load_map(path)


def test_truncated_missing_and_foreign_files_are_refused(built, tmp_path):
    _, path = built
    data = path.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModuleMapError, match="cut.h5"):
        load_map(cut)
    with pytest.raises(ModuleMapError, match="absent.h5.*not found"):
        load_map(tmp_path / "absent.h5")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.create_dataset("pairs", data=np.zeros((1, 2)))
    with pytest.raises(ModuleMapError, match="other.h5: not a module map"):
        load_map(other)


def _with_triplets(tmp_path):
    from trackgnn.graph_construction.module_map.triplets import TRIPLET_QUANTITIES, TripletAccumulator, event_triplets

    geo = module_geometry(synthetic.detectors())
    acc, tri = MapAccumulator(geo), TripletAccumulator(geo)
    for seed in range(2):
        acc.add(*event_doublets(synthetic.event(seed), geo, 0.9))
        tri.add(*event_triplets(synthetic.event(seed), geo, 0.9))
    mmap = acc.result({"margin": 0.05, "triplet_margin": 0.2, "triplet_quantities": list(TRIPLET_QUANTITIES)})
    for key, value in tri.result().items():
        setattr(mmap, key, value)
    return mmap, save_map(tmp_path / "tmap.h5", mmap)


def test_triplet_ranges_round_trip_and_their_margin_is_the_maps(tmp_path):
    mmap, path = _with_triplets(tmp_path)
    back = load_map(path)
    assert back.has_triplets and back.attrs["format_version"] == FORMAT_VERSION == 2
    for key in ("triples", "triplet_lo", "triplet_hi", "triplet_count"):
        assert np.array_equal(getattr(back, key), getattr(mmap, key))
    lo, hi = back.triplet_bounds()
    width = back.triplet_hi - back.triplet_lo
    assert np.allclose(lo, back.triplet_lo - 0.2 * width) and np.allclose(hi, back.triplet_hi + 0.2 * width)


def test_a_version_1_file_reads_as_a_map_without_triplets(built):
    geo, path = built
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = json.dumps(1)
    old = load_map(path, geo.digest)
    assert not old.has_triplets and len(old.pairs)
    with pytest.raises(ModuleMapError, match=r"map\.h5: no triplet ranges"):
        old.triplet_bounds()


def test_a_triplet_map_missing_a_triplet_dataset_is_refused(tmp_path):
    _, path = _with_triplets(tmp_path)
    with h5py.File(path, "r+") as f:
        del f["triplet_hi"]
    with pytest.raises(ModuleMapError, match=r"tmap\.h5.*triplet_hi"):
        load_map(path)
