import h5py
import numpy as np
import pytest
from toy_events import make_event, write_toy_events

from trackgnn.data import StoreError, read_store
from trackgnn.feature_store import build_feature_store, process_event
from trackgnn.feature_store.config import FeatureStoreConfig
from trackgnn.io import read_event

CELL_FEATURES = ["r", "phi", "z", "cell_count", "cell_value", "len_u", "len_v", "leta", "lphi", "geta", "gphi"]


def test_shard_contract(toy_dir, tmp_path):
    out = build_feature_store(toy_dir, [0, 2], tmp_path / "fs.h5", {"feature_store": {"features": CELL_FEATURES}})
    attrs, events = read_store(out)
    assert attrs["feature_names"] == CELL_FEATURES and attrs["has_truth"] is True
    assert sorted(events) == [0, 2]
    a = events[0]
    n = len(a["hit_id"])
    assert a["hit_id"].dtype == np.int64 and a["x"].shape == (n, len(CELL_FEATURES)) and a["x"].dtype == np.float32
    for name in ("r", "phi", "z", "eta", "pt", "particle_eta", "weight"):
        assert a[name].shape == (n,) and a[name].dtype == np.float32
    assert a["truth_edges"].dtype == np.int64 and a["truth_edges"].shape[0] == 2
    assert a["truth_target"].shape == (a["truth_edges"].shape[1],)
    # truth edges join hits of one particle, inner to outer
    s, t = a["truth_edges"]
    assert (a["particle_id"][s] == a["particle_id"][t]).all() and (a["particle_id"][s] != 0).all()
    assert (a["r"][s] < a["r"][t]).all()
    # pt of noise is 0; targets have pt > 1 and >= 5 hits
    noise = a["particle_id"] == 0
    assert (a["pt"][noise] == 0).all() and noise.any()
    assert a["node_target"].any() and (a["pt"][a["node_target"]] > 1.0).all()
    ids, counts = np.unique(a["particle_id"][a["node_target"]], return_counts=True)
    assert (counts >= 5).all()


def test_target_cut_never_drops_hits(toy_dir, tmp_path):
    strict = {"feature_store": {"target": {"pt_min": 100.0}}}
    _, events = read_store(build_feature_store(toy_dir, [1], tmp_path / "a.h5", strict))
    ev = read_event(toy_dir, 1)
    assert len(events[1]["hit_id"]) == len(ev.hits)
    assert not events[1]["node_target"].any() and not events[1]["truth_target"].any()
    # evaluation.target is the fallback; feature_store.target wins
    cfg = FeatureStoreConfig.from_config({"evaluation": {"target": {"pt_min": 2.0}}})
    assert cfg.target.pt_min == 2.0
    cfg = FeatureStoreConfig.from_config(
        {"feature_store": {"target": {"pt_min": 3.0}}, "evaluation": {"target": {"pt_min": 2.0}}}
    )
    assert cfg.target.pt_min == 3.0


def test_remove_noise_only_with_truth(tmp_path):
    write_toy_events(tmp_path / "t", [0])
    write_toy_events(tmp_path / "raw", [0], truth=False)
    cfg = {"feature_store": {"remove_noise": True}}
    _, with_truth = read_store(build_feature_store(tmp_path / "t", [0], tmp_path / "a.h5", cfg))
    _, raw = read_store(build_feature_store(tmp_path / "raw", [0], tmp_path / "b.h5", cfg))
    assert (with_truth[0]["particle_id"] != 0).all()
    assert len(raw[0]["hit_id"]) == len(make_event(0)["hits"]) > len(with_truth[0]["hit_id"])
    assert "particle_id" not in raw[0] and "truth_edges" not in raw[0]


def test_layerwise_differs_from_modulewise(toy_dir):
    ev = read_event(toy_dir, 0)
    mw = process_event(ev, FeatureStoreConfig.from_dict({"truth_graph": "modulewise"}))
    lw = process_event(ev, FeatureStoreConfig.from_dict({"truth_graph": "layerwise"}))
    # toy tracks have one hit per layer, so both graphs hold (n_hits - 1) edges per particle
    pid = mw["particle_id"]
    expected = sum(int((pid == p).sum()) - 1 for p in np.unique(pid[pid != 0]))
    assert mw["truth_edges"].shape[1] == expected == lw["truth_edges"].shape[1]


def test_bad_inputs(toy_dir, tmp_path):
    write_toy_events(tmp_path / "nocells", [0], cells=False)
    with pytest.raises(ValueError, match="no cells file"):
        build_feature_store(
            tmp_path / "nocells", [0], tmp_path / "x.h5", {"feature_store": {"features": CELL_FEATURES}}
        )
    with pytest.raises(ValueError, match="unknown feature"):
        build_feature_store(toy_dir, [0], tmp_path / "x.h5", {"feature_store": {"features": ["r", "bogus"]}})
    with pytest.raises(ValueError, match="truth_graph"):
        FeatureStoreConfig.from_dict({"truth_graph": "other"})
    with pytest.raises(ValueError, match="unknown key"):
        FeatureStoreConfig.from_dict({"featurez": []})
    assert not (tmp_path / "x.h5").exists()


def test_truncated_shard_is_a_store_error(toy_dir, tmp_path):
    path = build_feature_store(toy_dir, [0], tmp_path / "fs.h5", {})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(StoreError):
        read_store(path)
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["a"] = [1]
    with pytest.raises(StoreError, match="no /events"):
        read_store(tmp_path / "other.h5")
