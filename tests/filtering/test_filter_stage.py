"""Train the filter for one short epoch, apply it, resume, and check the outputs."""

import json

import numpy as np
import pytest
import yaml

from tests.edge_classifier.conftest import tiny_config
from trackgnn.cli import main
from trackgnn.config import ConfigError, validate_config
from trackgnn.data import read_store, write_store
from trackgnn.edge_classifier.metrics import roc_auc

TRAIN = tiny_config("filtering")["filtering"]["training"]


@pytest.fixture(scope="module")
def trained(toy_shards, tmp_path_factory):
    out = tmp_path_factory.mktemp("filter")
    cfg = out / "config.yaml"
    cfg.write_text(yaml.safe_dump(tiny_config("filtering", cut=0.5, training={**TRAIN, "max_epochs": 4})))
    args = [
        "train-filter",
        "--config",
        str(cfg),
        "--train",
        *map(str, toy_shards["train"]),
        "--val",
        *map(str, toy_shards["val"]),
        "--out",
        str(out / "model"),
    ]
    assert main(args) == 0
    return cfg, out / "model", args


def test_training_exports_weights_and_metrics(trained):
    _, model_dir, _ = trained
    hparams = json.loads((model_dir / "filter.json").read_text())
    assert hparams["model"] == "mlp" and hparams["node_features"] == 3
    metrics = json.loads((model_dir / "metrics.json").read_text())
    assert metrics["val"]["n_events"] == 2 and 0 <= metrics["val"]["efficiency"] <= 1
    assert (model_dir / "checkpoints" / "last.ckpt").exists()
    assert list((model_dir / "logs").glob("filter/version_0/metrics.csv"))
    assert list((model_dir / "logs").glob("filter_tb/version_0/events.*"))


def test_filter_graphs_removes_edges_below_cut(trained, toy_shards, tmp_path):
    cfg, model_dir, _ = trained
    out, metrics_path = tmp_path / "filtered.h5", tmp_path / "m.json"
    assert (
        main(
            [
                "filter-graphs",
                "--config",
                str(cfg),
                "--model",
                str(model_dir),
                "--input",
                str(toy_shards["test"][0]),
                "--out",
                str(out),
                "--metrics",
                str(metrics_path),
            ]
        )
        == 0
    )
    _, before = read_store(toy_shards["test"][0])
    _, after = read_store(out)
    n_kept = n_target_kept = n_truth_target = 0
    for event_id, ev in after.items():
        src = before[event_id]
        keep = ev["filter_score"] > 0.05
        assert keep.all()  # every written edge passed the cut
        assert ev["edge_index"].shape[1] == len(ev["y"]) == len(ev["target_edge"]) == len(ev["filter_score"])
        assert ev["edge_index"].shape[1] < src["edge_index"].shape[1]
        # kept edges are a subset of the input edges with their labels unchanged
        key = lambda e: e[0].astype(np.int64) * 10**6 + e[1]  # noqa: E731
        pos = np.searchsorted(np.sort(key(src["edge_index"])), key(ev["edge_index"]))
        assert (np.sort(key(src["edge_index"]))[pos] == key(ev["edge_index"])).all()
        np.testing.assert_array_equal(ev["truth_edges"], src["truth_edges"])
        n_kept += len(ev["y"])
        n_target_kept += ev["target_edge"].sum()
        n_truth_target += src["truth_target"].sum()
    m = json.loads(metrics_path.read_text())
    assert m["n_edges_kept"] == n_kept
    assert m["efficiency"] == pytest.approx(n_target_kept / n_truth_target)


def test_filter_learns_something(trained, toy_shards):
    from trackgnn.edge_classifier.apply import evaluate_shards
    from trackgnn.edge_classifier.export import load_exported
    from trackgnn.filtering.registry import FILTER_MODELS

    net, hparams = load_exported(trained[1], "filter", FILTER_MODELS)
    _, scores, _ = evaluate_shards(net, hparams, toy_shards["test"], 0.5)
    y = np.concatenate([ev["y"] for ev in read_store(toy_shards["test"][0], ["y"])[1].values()])
    assert roc_auc(scores, y) > 0.75


def test_inference_without_truth(trained, toy_shards, tmp_path):
    cfg, model_dir, _ = trained
    _, events = read_store(toy_shards["test"][0])
    names = ("x", "hit_id", "r", "phi", "z", "eta", "volume_id", "layer_id", "module_id", "edge_index")
    bare = tmp_path / "bare.h5"
    write_store(bare, {k: {n: ev[n] for n in names} for k, ev in events.items()})
    m = tmp_path / "m.json"
    assert (
        main(
            [
                "filter-graphs",
                "--config",
                str(cfg),
                "--model",
                str(model_dir),
                "--input",
                str(bare),
                "--out",
                str(tmp_path / "o.h5"),
                "--metrics",
                str(m),
            ]
        )
        == 0
    )
    summary = json.loads(m.read_text())
    assert "efficiency" not in summary and summary["n_edges_kept"] < summary["n_edges_in"]


def test_training_resumes_only_under_the_same_configuration(trained):
    cfg, model_dir, args = trained
    # same config and inputs (an interrupted job rerun): continue from last.ckpt
    assert main(args) == 0
    metrics = json.loads((model_dir / "metrics.json").read_text())
    assert metrics["resumed_from"].endswith("last.ckpt")
    # a changed config must retrain from scratch, not continue an unrelated model
    cfg_changed = model_dir.parent / "changed.yaml"
    cfg_changed.write_text(
        yaml.safe_dump(
            {
                "filtering": {
                    **tiny_config("filtering")["filtering"],
                    "cut": 0.5,
                    "training": {**tiny_config("filtering")["filtering"]["training"], "max_epochs": 5},
                }
            }
        )
    )
    assert main([*args[:2], str(cfg_changed), *args[3:]]) == 0
    metrics = json.loads((model_dir / "metrics.json").read_text())
    assert metrics["resumed_from"] is None and metrics["epochs"] == 5


def test_config_errors_name_the_key():
    with pytest.raises(ConfigError, match="filtering.hiden"):
        validate_config({"filtering": {"hiden": 3}})
    with pytest.raises(ConfigError, match="filtering.training.scheduler"):
        validate_config({"filtering": {"training": {"scheduler": "exp"}}})
    with pytest.raises(ConfigError, match="filtering.model': unknown name 'nope'"):
        validate_config({"filtering": {"model": "nope"}})
    with pytest.raises(ConfigError, match="filtering.cut"):
        validate_config({"filtering": {"cut": 1.0}})  # every edge would be removed


def test_random_pairs_are_fakes_oriented_outward():
    import torch
    from torch_geometric.data import Batch, Data

    from trackgnn.filtering.base import random_pairs

    graphs = [Data(x=torch.zeros(50, 3), r=torch.rand(50), particle_id=torch.randint(0, 3, (50,))) for _ in range(2)]
    batch = Batch.from_data_list(graphs)
    pairs = random_pairs(batch, 500)
    assert (batch.batch[pairs[0]] == batch.batch[pairs[1]]).all()
    assert (batch.r[pairs[0]] <= batch.r[pairs[1]]).all()
    pid = batch.particle_id
    assert not ((pid[pairs[0]] == pid[pairs[1]]) & (pid[pairs[0]] > 0)).any()
    assert pairs.shape[1] > 100
