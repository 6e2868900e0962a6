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
