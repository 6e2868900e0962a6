"""Figures that are undefined (no target edge left: efficiency 0/0) are written as null,
never as NaN, which is not JSON."""

import json

import numpy as np

from tests.filtering.test_model_integrity import exported_filter
from tests.utils.test_jsonio import strict_load
from trackgnn.data import read_store, write_store
from trackgnn.edge_classifier.apply import apply_to_shard
from trackgnn.edge_classifier.export import load_exported
from trackgnn.filtering.registry import FILTER_MODELS
from trackgnn.gnn.compare import write_table


def test_apply_metrics_without_target_edges_hold_null(tmp_path, toy_shards):
    exported_filter(tmp_path / "model")
    net, hparams = load_exported(tmp_path / "model", "filter", FILTER_MODELS)
    attrs, events = read_store(toy_shards["test"][0])
    for arrays in events.values():
        arrays.pop("_attrs")
        arrays["truth_target"] = np.zeros_like(arrays["truth_target"])
        arrays["target_edge"] = np.zeros_like(arrays["target_edge"])
    shard = write_store(tmp_path / "no_target.h5", events, attrs)
    summary = apply_to_shard(
        net, hparams, shard, tmp_path / "out.h5", "filter_score", 0.5, remove=True, metrics_path=tmp_path / "m.json"
    )
    assert np.isnan(summary["efficiency"])  # undefined in the returned figures...
    written = strict_load(tmp_path / "m.json")
    assert written["efficiency"] is None  # ...and null on disk
    assert written["n_edges_kept"] == summary["n_edges_kept"]


def test_comparison_table_json_holds_null(tmp_path):
    rows = [
        {
            "model": "a",
            "efficiency": float("nan"),
            "purity": 0.5,
            "auc": None,
            "parameters": 10,
            "train_seconds": 1.0,
            "epochs": 1,
            "seconds_per_event": float("inf"),
            "peak_rss_mb": 3.0,
        }
    ]
    write_table(rows, tmp_path)
    loaded = strict_load(tmp_path / "comparison.json")
    assert loaded[0]["efficiency"] is None and loaded[0]["seconds_per_event"] is None
    assert json.loads((tmp_path / "comparison.json").read_text())[0]["purity"] == 0.5
