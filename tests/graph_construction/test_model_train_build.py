import json

import h5py
import numpy as np
import pytest
import torch
from tiny_config import TINY, full, section

from trackgnn.config import ConfigError
from trackgnn.data import StoreError, read_store, write_store
from trackgnn.graph_construction.base import EmbeddingBase
from trackgnn.graph_construction.build import build_graphs
from trackgnn.graph_construction.config import model_hparams
from trackgnn.graph_construction.curve import efficiency_curve, write_curve
from trackgnn.graph_construction.export import load_model, save_model
from trackgnn.graph_construction.network import EmbeddingNetwork
from trackgnn.graph_construction.train import train_embedding


@pytest.mark.parametrize("wrapper", [lambda h: EmbeddingBase(**h), EmbeddingNetwork])
def test_mlp_output_is_l2_normalised_and_checks_width(wrapper):
    cfg = section(TINY)
    model = wrapper(model_hparams(cfg, 3, ["r", "phi", "z"]))
    out = model(torch.randn(7, 3))
    assert out.shape == (7, 4)
    torch.testing.assert_close(out.norm(dim=1), torch.ones(7))
    trained_on = r"expects features \[N, 3\], trained on feature_store.features \['r', 'phi', 'z'\]"
    with pytest.raises(ValueError, match=trained_on):
        model(torch.randn(7, 5))


def test_network_takes_only_its_own_hyperparameters():
    cfg = section({"metric_learning": {**TINY["metric_learning"], "normalize": False, "depth": 1}})
    net = EmbeddingNetwork(model_hparams(cfg, 3, ["r", "phi", "z"])).net
    # the inference network computes tanh through the sigmoid (trackgnn.nn.activations)
    assert [type(m).__name__ for m in net] == ["Linear", "LayerNorm", "SigmoidTanh", "Linear"]
    with pytest.raises(KeyError, match="unknown embedding model 'nope'"):
        EmbeddingNetwork({**model_hparams(cfg, 3, ["r", "phi", "z"]), "model": "nope"})


def test_config_errors():
    with pytest.raises(ConfigError, match="unknown key"):
        section({"metric_learning": {"hiden": 3}})
    with pytest.raises(ConfigError, match="radius"):
        section({"metric_learning": {"radius": 0}})
    for bad in (5, [], [0], [True], [2.5]):
        with pytest.raises(ConfigError, match="curve_knn"):
            section({"metric_learning": {"curve_knn": bad}})
    with pytest.raises(ConfigError, match="batch_size"):
        section({"metric_learning": {"batch_size": 2}})
    assert section({"metric_learning": {"curve_knn": [4, None]}})["curve_knn"] == [4, None]
    assert section({"metric_learning": {"knn": None}})["knn"] is None
    assert section({"metric_learning": {"seed": None}, "run": {"seed": 9}})["seed"] == 9


def test_export_round_trip_and_corrupt_weights(tmp_path):
    cfg = section(TINY)
    model = EmbeddingBase(**model_hparams(cfg, 3, ["r", "phi", "z"])).eval()
    save_model(model, tmp_path)
    x = torch.randn(5, 3)
    loaded = load_model(tmp_path)
    assert isinstance(loaded, EmbeddingNetwork) and loaded.hparams.radius == model.hparams.radius
    torch.testing.assert_close(loaded(x), model(x))
    # and back: exported weights resume in the training module
    again = EmbeddingBase(**loaded.hparams)
    again.load_state_dict(loaded.state_dict())
    torch.testing.assert_close(again(x), model(x))
    (tmp_path / "embedding.pt").write_bytes(b"not a torch file")
    with pytest.raises(ValueError, match="embedding.pt: checksum mismatch, file corrupted or replaced"):
        load_model(tmp_path)
    # a description written before checksums: the unreadable file is still caught
    meta = json.loads((tmp_path / "embedding.json").read_text())
    del meta["integrity"]
    (tmp_path / "embedding.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="embedding.pt: cannot be read"):
        load_model(tmp_path)


def test_training_writes_weights_only_outputs(trained):
    out, metrics = trained
    assert (out / "embedding.pt").exists() and (out / "checkpoints" / "last.ckpt").exists()
    assert (out / "logs" / "embedding" / "version_0" / "metrics.csv").exists()
    ckpt = torch.load(out / "checkpoints" / "last.ckpt", weights_only=True)
    assert ckpt["hyper_parameters"]["feature_names"] == ["r", "phi", "z"]
    assert json.loads((out / "metrics.json").read_text())["epochs"] == metrics["epochs"] == 2
    assert 0.0 <= metrics["last"]["val_eff"] <= 1.0


def test_resume_continues_from_last_checkpoint(trained, shards, tmp_path):
    out, _ = trained
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(out, copy)
    cfg = {"metric_learning": {**TINY["metric_learning"], "training": {"max_epochs": 3, "patience": 0}}}
    metrics = train_embedding(full(cfg), [shards["train"]], [shards["val"]], copy)
    assert metrics["epochs"] == 3


def test_build_graphs_contract_and_metrics(trained, shards, tmp_path):
    out, _ = trained
    metrics = build_graphs(full(TINY), out, shards["val"], tmp_path / "g.h5", tmp_path / "m.json")
    _, events = read_store(tmp_path / "g.h5")
    kept = target = 0
    for a in events.values():
        s, t = a["edge_index"]
        assert a["edge_index"].dtype == np.int64 and (s != t).all()
        mod = a["volume_id"] * 10**9 + a["layer_id"] * 10**6 + a["module_id"]
        assert (mod[s] != mod[t]).all()
        assert (np.hypot(a["r"][s], a["z"][s]) <= np.hypot(a["r"][t], a["z"][t])).all()
        truth = {tuple(sorted(e)) for e in a["truth_edges"].T.tolist()}
        y = np.array([tuple(sorted(e)) in truth for e in a["edge_index"].T.tolist()], dtype=bool)
        np.testing.assert_array_equal(a["y"], y)
        kept += int((y & a["node_target"][s]).sum())
        target += int(a["truth_target"].sum())
    assert target > 0
    assert metrics["total"]["efficiency"] == pytest.approx(kept / target)
    # binned by the inner hit's radius: recount each bin from the labelled edges and the truth graph
    binned = metrics["total"]["binned"]["r_inner"]
    bins = np.asarray(binned["bins"])
    want_true, want_kept = np.zeros(len(bins) - 1, int), np.zeros(len(bins) - 1, int)
    for a in events.values():
        rho = np.hypot(a["r"], a["z"])
        s, t = a["edge_index"]
        good = a["y"] & a["node_target"][s] & a["node_target"][t]
        inner = np.where(rho[s] <= rho[t], s, t)[good]
        want_kept += np.histogram(a["r"][inner], bins)[0]
        ts, tt = a["truth_edges"][:, a["truth_target"].astype(bool)]
        want_true += np.histogram(a["r"][np.where(rho[ts] <= rho[tt], ts, tt)], bins)[0]
    assert binned["n_target_kept"] == want_kept.tolist() and binned["n_target_true"] == want_true.tolist()
    assert sum(binned["n_target_true"]) == target and sum(binned["n_target_kept"]) == kept
    assert binned["efficiency"] == [k / n if n else None for k, n in zip(want_kept, want_true)]
    assert set(metrics["total"]["binned"]) == {"pt", "eta", "r_inner"}
    saved = json.loads((tmp_path / "m.json").read_text())
    assert saved["total"]["n_edges"] == sum(a["edge_index"].shape[1] for a in events.values())


def test_build_graphs_without_truth_and_with_no_edges(trained, shards, tmp_path):
    out, _ = trained
    build_graphs(full(TINY), out, shards["raw"], tmp_path / "raw.h5", tmp_path / "raw.json")
    _, events = read_store(tmp_path / "raw.h5")
    assert "y" not in events[5] and events[5]["edge_index"].shape[0] == 2
    tiny_radius = {"metric_learning": {**TINY["metric_learning"], "radius": 1e-9}}
    m = build_graphs(full(tiny_radius), out, shards["val"], tmp_path / "e.h5", tmp_path / "e.json")
    assert m["total"]["n_edges"] == 0 and m["total"]["efficiency"] == 0.0
    assert json.loads((tmp_path / "e.json").read_text())["total"]["purity"] is None


def test_build_graphs_zero_hit_event_and_bad_files(trained, shards, tmp_path):
    out, _ = trained
    attrs, events = read_store(shards["val"])
    empty = {k: v[..., :0] if k in ("truth_edges",) else v[:0] for k, v in events[2].items() if k != "_attrs"}
    write_store(tmp_path / "z.h5", {7: empty}, {"feature_names": attrs["feature_names"]})
    m = build_graphs(full(TINY), out, tmp_path / "z.h5", tmp_path / "zg.h5")
    assert m["events"]["7"]["n_edges"] == 0 and m["events"]["7"]["n_hits"] == 0
    (tmp_path / "bad.h5").write_bytes(b"\x89HDF\r\n\x1a\ntruncated")
    with pytest.raises(StoreError):
        build_graphs(full(TINY), out, tmp_path / "bad.h5", tmp_path / "x.h5")
    with h5py.File(tmp_path / "f.h5", "w") as f:
        f.attrs["feature_names"] = json.dumps(["r", "z"])
        f.create_group("events")
    with pytest.raises(ValueError, match="feature_names"):
        build_graphs(full(TINY), out, tmp_path / "f.h5", tmp_path / "x.h5")


def test_efficiency_curve(trained, shards, tmp_path):
    out, _ = trained
    cfg = {"metric_learning": {**TINY["metric_learning"], "knn": None}}
    rows = efficiency_curve(full(cfg), out, shards["val"])
    assert [r["radius"] for r in rows] == [0.1, 0.3, 0.6]
    eff = [r["efficiency"] for r in rows]
    eph = [r["edges_per_hit"] for r in rows]
    assert eff == sorted(eff) and eph == sorted(eph) and eph[-1] > eph[0]
    write_curve(rows, tmp_path / "c.json", tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert all(r["knn"] is None and r["search_s_per_event"] > 0 for r in rows)
    with pytest.raises(ValueError, match="truth"):
        efficiency_curve(full(cfg), out, shards["raw"])


def test_efficiency_curve_over_knn_caps(trained, shards, tmp_path):
    """One curve per cap: a tighter cap keeps a subset of each radius's neighbours."""
    out, _ = trained
    cfg = {"metric_learning": {**TINY["metric_learning"], "knn": 20, "curve_knn": [2, None]}}
    rows = efficiency_curve(full(cfg), out, shards["val"], radii=[0.3, 0.6])
    assert [(r["knn"], r["radius"]) for r in rows] == [(2, 0.3), (2, 0.6), (None, 0.3), (None, 0.6)]
    capped = {r["radius"]: r for r in rows if r["knn"] == 2}
    free = {r["radius"]: r for r in rows if r["knn"] is None}
    for radius in (0.3, 0.6):
        assert capped[radius]["edges_per_hit"] < free[radius]["edges_per_hit"]
        assert capped[radius]["efficiency"] <= free[radius]["efficiency"]
        assert capped[radius]["n_capped"] > 0 and capped[radius]["n_dropped"] > 0
        assert free[radius]["n_capped"] == free[radius]["n_dropped"] == 0
    # the curve's own default: the configured cap only
    default = efficiency_curve(
        full({"metric_learning": {**TINY["metric_learning"], "knn": 2}}), out, shards["val"], radii=[0.3]
    )
    assert default[0]["knn"] == 2 and default[0]["edges_per_hit"] == capped[0.3]["edges_per_hit"]
    write_curve(rows, tmp_path / "c.json", tmp_path / "c.png")
    assert json.loads((tmp_path / "c.json").read_text())[0]["knn"] == 2
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
