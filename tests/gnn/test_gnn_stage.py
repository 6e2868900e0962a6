"""train-gnn / score-edges / compare-gnn on toy shards (one short epoch each)."""

import json

import numpy as np
import pytest
import torch
import yaml

from tests.edge_classifier.conftest import tiny_config
from trackgnn.cli import main
from trackgnn.data import read_store


@pytest.fixture(scope="module")
def trained(toy_shards, tmp_path_factory):
    out = tmp_path_factory.mktemp("gnn")
    cfg = out / "config.yaml"
    cfg.write_text(
        yaml.safe_dump(tiny_config("gnn", models={"interaction_network": {"hidden": 16, "n_iterations": 2}}))
    )
    assert (
        main(
            [
                "train-gnn",
                "--config",
                str(cfg),
                "--train",
                *map(str, toy_shards["train"]),
                "--val",
                *map(str, toy_shards["val"]),
                "--out",
                str(out / "model"),
            ]
        )
        == 0
    )
    return cfg, out / "model"


def test_export_is_weights_only(trained):
    _, model_dir = trained
    state = torch.load(model_dir / "gnn.pt", weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state.values())
    hparams = json.loads((model_dir / "gnn.json").read_text())
    assert hparams["model"] == "interaction_network" and hparams["model_kwargs"]["hidden"] == 16
    ckpt = torch.load(model_dir / "checkpoints" / "last.ckpt", weights_only=True)  # plain-type hparams
    assert ckpt["hyper_parameters"]["model"] == "interaction_network"


def test_score_edges_adds_scores_and_keeps_edges(trained, toy_shards, tmp_path):
    cfg, model_dir = trained
    out, m = tmp_path / "scored.h5", tmp_path / "m.json"
    assert (
        main(
            [
                "score-edges",
                "--config",
                str(cfg),
                "--model",
                str(model_dir),
                "--input",
                str(toy_shards["test"][0]),
                "--out",
                str(out),
                "--metrics",
                str(m),
            ]
        )
        == 0
    )
    _, before = read_store(toy_shards["test"][0])
    _, after = read_store(out)
    summary = json.loads(m.read_text())
    cut = summary["cut"]  # the figures are reported at the configured gnn.cut
    kept = target_kept = truth_target = 0
    for event_id, ev in after.items():
        np.testing.assert_array_equal(ev["edge_index"], before[event_id]["edge_index"])
        s = ev["gnn_score"]
        assert s.dtype == np.float32 and ((s >= 0) & (s <= 1)).all()
        kept += (s > cut).sum()
        target_kept += ((s > cut) & ev["target_edge"]).sum()
        truth_target += ev["truth_target"].sum()
    assert summary["n_edges_kept"] == kept
    assert summary["efficiency"] == pytest.approx(target_kept / truth_target)
    assert 0 <= summary["auc"] <= 1


def test_bad_model_dir_is_a_clear_error(tmp_path, toy_shards, capsys):
    rc = main(
        [
            "score-edges",
            "--model",
            str(tmp_path),
            "--input",
            str(toy_shards["test"][0]),
            "--out",
            str(tmp_path / "o.h5"),
        ]
    )
    assert rc == 1 and "no exported gnn model" in capsys.readouterr().err


def test_compare_gnn_writes_table(toy_shards, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        yaml.safe_dump(
            tiny_config(
                "gnn",
                models={
                    "interaction_network": {"hidden": 8, "n_iterations": 1},
                    "attention_gnn": {"hidden": 8, "n_iterations": 1},
                },
            )
        )
    )
    assert (
        main(
            [
                "compare-gnn",
                "--config",
                str(cfg),
                "--train",
                str(toy_shards["train"][0]),
                "--val",
                str(toy_shards["val"][0]),
                "--test",
                str(toy_shards["test"][0]),
                "--out",
                str(tmp_path / "cmp"),
            ]
        )
        == 0
    )
    rows = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert [r["model"] for r in rows] == ["attention_gnn", "interaction_network"]
    for row in rows:
        assert row["parameters"] > 0 and row["seconds_per_event"] > 0 and row["peak_rss_mb"] > 50
    md = (tmp_path / "cmp" / "comparison.md").read_text()
    assert md.count("\n") == 4 and "| interaction_network |" in md
