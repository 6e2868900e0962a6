"""Sector training steps (``training.sectors``) and the filter cut chosen on validation
(``filtering.target_efficiency``)."""

import json

import numpy as np
import pytest
import torch
import yaml
from torch_geometric.data import Batch

from tests.edge_classifier.conftest import tiny_config
from trackgnn.cli import main
from trackgnn.config import ConfigError, validate_config
from trackgnn.data import read_store
from trackgnn.data.datamodule import load_shards
from trackgnn.data.views import part_views, phi_sector
from trackgnn.edge_classifier.base import TRAIN_ARRAYS
from trackgnn.edge_classifier.metrics import cut_for_efficiency
from trackgnn.filtering.base import FilterBase
from trackgnn.gnn.base import GNNBase


@pytest.mark.parametrize("stage", ["filtering", "gnn"])
def test_each_sector_step_trains_on_its_own_edges(toy_shards, stage):
    partial = {"filtering": {"random_negatives": 0.0}} if stage == "filtering" else {}
    section = validate_config(partial)[stage]
    cls = FilterBase if stage == "filtering" else GNNBase
    event = load_shards(toy_shards["train"][:1], TRAIN_ARRAYS)[0]
    module = cls.from_config(section, event.x.shape[1])
    seen = []
    module.forward = lambda batch, edges=None: seen.append(edges) or torch.zeros(edges.shape[1], requires_grad=True)
    n = 4
    for view in part_views([event], n):
        module.training_step(Batch.from_data_list([view]), 0)
    for part, edges in enumerate(seen):
        assert edges.shape[1] > 0
        assert (phi_sector(event.phi[edges[0]], n) == part).all()
    # the sectors split the event's edges: disjoint, and together all of them
    keys = torch.cat([e[0] * event.num_nodes + e[1] for e in seen])
    all_keys = event.edge_index[0] * event.num_nodes + event.edge_index[1]
    assert keys.numel() == all_keys.numel()
    assert torch.equal(torch.sort(keys).values, torch.sort(all_keys).values)


def _train_filter(toy_shards, out, **section):
    cfg = out / "config.yaml"
    cfg.write_text(yaml.safe_dump(tiny_config("filtering", **section)))
    assert (
        main(
            [
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
        )
        == 0
    )
    return cfg, out / "model"


def test_sectors_multiply_the_optimiser_steps(toy_shards, tmp_path):
    n_events = sum(len(read_store(p, ["x"])[1]) for p in toy_shards["train"])
    _, model_dir = _train_filter(
        toy_shards, tmp_path, training={**tiny_config("filtering")["filtering"]["training"], "sectors": 3}
    )
    ckpt = torch.load(model_dir / "checkpoints" / "last.ckpt", map_location="cpu", weights_only=True)
    assert ckpt["global_step"] == 3 * n_events


def test_target_efficiency_chooses_the_cut_on_validation(toy_shards, tmp_path):
    from trackgnn.edge_classifier.apply import evaluate_shards
    from trackgnn.edge_classifier.export import load_exported
    from trackgnn.filtering.registry import FILTER_MODELS

    cfg, model_dir = _train_filter(toy_shards, tmp_path, cut=0.9, target_efficiency=0.97)
    net, hparams = load_exported(model_dir, "filter", FILTER_MODELS)
    summary, scores, target = evaluate_shards(net, hparams, toy_shards["val"], hparams["cut"])
    assert hparams["cut"] == pytest.approx(max(0.0, cut_for_efficiency(scores, target, 0.97)))
    assert hparams["cut"] != 0.9
    kept = (scores > hparams["cut"])[target].mean()
    assert 0.97 <= kept < 0.97 + 2.0 / target.sum()
    metrics = json.loads((model_dir / "metrics.json").read_text())
    assert metrics["val"]["cut"] == hparams["cut"]
    assert metrics["val"]["stage_efficiency"] == pytest.approx(kept)
    # filter-graphs applies the chosen cut, not filtering.cut
    out = tmp_path / "filtered.h5"
    assert (
        main(
            [
                "filter-graphs",
                "--config",
                str(cfg),
                "--model",
                str(model_dir),
                "--input",
                str(toy_shards["val"][0]),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    attrs, events = read_store(out)
    assert attrs["filter_score_cut"] == pytest.approx(hparams["cut"])
    written = np.concatenate([ev["filter_score"] for ev in events.values()])
    assert written.min() > hparams["cut"]
    if hparams["cut"] < 0.9:
        assert (written <= 0.9).any()


def test_config_rejects_bad_sectors_and_efficiency():
    with pytest.raises(ConfigError, match="filtering.training.sectors"):
        validate_config({"filtering": {"training": {"sectors": 0}}})
    with pytest.raises(ConfigError, match="filtering.target_efficiency"):
        validate_config({"filtering": {"target_efficiency": 1.5}})
    with pytest.raises(ConfigError, match="gnn.training.sectors"):
        validate_config({"gnn": {"training": {"sectors": 0}}})
