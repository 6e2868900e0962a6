"""Module-map graph shards go through the filter and GNN stages unchanged."""

import json

import pytest
import yaml

from tests.graph_construction.module_map import synthetic
from trackgnn.cli import main
from trackgnn.data import read_store, write_store
from trackgnn.io import write_detectors

TRAINING = {"max_epochs": 1, "num_threads": 1, "warmup_steps": 2, "patience": 0}


@pytest.mark.slow
def test_filter_and_gnn_train_on_module_map_graphs(tmp_path):
    write_store(tmp_path / "map_events.h5", {s: synthetic.event(s) for s in range(4)})
    write_detectors(tmp_path / "detectors.csv", synthetic.detectors())
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "module_map": {"margin": 0.2},
                "filtering": {"training": TRAINING, "cut": 0.01},
                "gnn": {"training": TRAINING},
            }
        )
    )
    assert (
        main(
            [
                "build-module-map",
                "--config",
                str(cfg),
                "--events",
                str(tmp_path / "map_events.h5"),
                "--n-events",
                "4",
                "--detectors",
                str(tmp_path / "detectors.csv"),
                "--out",
                str(tmp_path / "map.h5"),
            ]
        )
        == 0
    )
    for name, seeds in (("train", (10, 11)), ("val", (12,))):
        write_store(
            tmp_path / f"{name}.h5",
            {s: synthetic.event(s, n_particles=60) for s in seeds},
            {"feature_names": ["r", "phi", "z"], "has_truth": True},
        )
        assert (
            main(
                [
                    "build-graphs-module-map",
                    "--config",
                    str(cfg),
                    "--map",
                    str(tmp_path / "map.h5"),
                    "--input",
                    str(tmp_path / f"{name}.h5"),
                    "--out",
                    str(tmp_path / f"{name}_graphs.h5"),
                ]
            )
            == 0
        )
    assert (
        main(
            [
                "train-filter",
                "--config",
                str(cfg),
                "--train",
                str(tmp_path / "train_graphs.h5"),
                "--val",
                str(tmp_path / "val_graphs.h5"),
                "--out",
                str(tmp_path / "filter"),
            ]
        )
        == 0
    )
    for name in ("train", "val"):
        assert (
            main(
                [
                    "filter-graphs",
                    "--config",
                    str(cfg),
                    "--model",
                    str(tmp_path / "filter"),
                    "--input",
                    str(tmp_path / f"{name}_graphs.h5"),
                    "--out",
                    str(tmp_path / f"{name}_filtered.h5"),
                ]
            )
            == 0
        )
    _, events = read_store(tmp_path / "val_filtered.h5")
    assert all(e["edge_index"].shape[1] > 0 for e in events.values())
    assert (
        main(
            [
                "train-gnn",
                "--config",
                str(cfg),
                "--train",
                str(tmp_path / "train_filtered.h5"),
                "--val",
                str(tmp_path / "val_filtered.h5"),
                "--out",
                str(tmp_path / "gnn"),
            ]
        )
        == 0
    )
    assert json.loads((tmp_path / "gnn" / "metrics.json").read_text())
