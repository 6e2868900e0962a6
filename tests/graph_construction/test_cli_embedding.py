import json

import yaml

from trackgnn.cli import main

from tiny_config import TINY


def test_cli_train_and_build(shards, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml.safe_dump({"embedding": {**TINY["embedding"], "training": {"max_epochs": 1, "patience": 0}}}))
    model = tmp_path / "model"
    assert main(["train-embedding", "--config", str(cfg), "--train", str(shards["train"]),
                 "--val", str(shards["val"]), "--out", str(model)]) == 0
    assert json.loads((model / "embedding.json").read_text())["model"] == "mlp"
    assert main(["build-graphs", "--config", str(cfg), "--model", str(model), "--input", str(shards["val"]),
                 "--out", str(tmp_path / "g.h5"), "--metrics", str(tmp_path / "m.json"),
                 "--curve", str(tmp_path / "curve")]) == 0
    assert (tmp_path / "curve.png").exists() and json.loads((tmp_path / "m.json").read_text())["total"]["n_hits"] > 0
    assert main(["build-graphs", "--config", str(cfg), "--model", str(tmp_path / "nope"), "--input",
                 str(shards["val"]), "--out", str(tmp_path / "g2.h5")]) == 1
