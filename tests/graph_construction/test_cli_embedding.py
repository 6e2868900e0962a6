import json

import yaml
from tiny_config import TINY

from trackgnn.cli import main


def test_cli_train_and_build(shards, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        yaml.safe_dump({"metric_learning": {**TINY["metric_learning"], "training": {"max_epochs": 1, "patience": 0}}})
    )
    model = tmp_path / "model"
    assert (
        main(
            [
                "train-embedding",
                "--config",
                str(cfg),
                "--train",
                str(shards["train"]),
                "--val",
                str(shards["val"]),
                "--out",
                str(model),
            ]
        )
        == 0
    )
    assert json.loads((model / "embedding.json").read_text())["model"] == "mlp"
    assert (
        main(
            [
                "build-graphs",
                "--config",
                str(cfg),
                "--model",
                str(model),
                "--input",
                str(shards["val"]),
                "--out",
                str(tmp_path / "g.h5"),
                "--metrics",
                str(tmp_path / "m.json"),
                "--curve",
                str(tmp_path / "curve"),
            ]
        )
        == 0
    )
    assert (tmp_path / "curve.png").exists() and json.loads((tmp_path / "m.json").read_text())["total"]["n_hits"] > 0
    assert (
        main(
            [
                "build-graphs",
                "--config",
                str(cfg),
                "--model",
                str(tmp_path / "nope"),
                "--input",
                str(shards["val"]),
                "--out",
                str(tmp_path / "g2.h5"),
            ]
        )
        == 1
    )
    # the radius scan alone: one row per radius, efficiency and edges per hit growing with it
    assert (
        main(
            [
                "radius-scan",
                "--config",
                str(cfg),
                "--model",
                str(model),
                "--input",
                str(shards["val"]),
                "--json",
                str(tmp_path / "scan.json"),
                "--png",
                str(tmp_path / "scan.png"),
            ]
        )
        == 0
    )
    rows = json.loads((tmp_path / "scan.json").read_text())
    assert [r["radius"] for r in rows] == sorted(r["radius"] for r in rows) and len(rows) > 2
    assert all(
        a["edges_per_hit"] <= b["edges_per_hit"] and a["efficiency"] <= b["efficiency"] for a, b in zip(rows, rows[1:])
    )
    assert (tmp_path / "scan.png").stat().st_size > 0
