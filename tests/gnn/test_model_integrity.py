"""score-edges refuses a corrupt, replaced or mislabelled gnn.pt with one clear line."""

import json

import pytest
import torch

import trackgnn.gnn.models  # noqa: F401  (registers models)
from trackgnn.cli import main
from trackgnn.edge_classifier.export import export_model
from trackgnn.edge_features import EDGE_FEATURE_NAMES
from trackgnn.gnn.registry import GNN_MODELS
from trackgnn.gnn.run import load_gnn
from trackgnn.utils.model_files import ModelFileError


@pytest.fixture
def gnn_dir(tmp_path):
    """An untrained interaction network exported as the GNN stage does."""
    torch.manual_seed(0)
    kwargs = {"hidden": 8, "n_iterations": 1}
    net = GNN_MODELS.get("interaction_network")(node_features=3, edge_features=len(EDGE_FEATURE_NAMES), **kwargs)
    hparams = {
        "model": "interaction_network",
        "model_kwargs": kwargs,
        "node_features": 3,
        "edge_features": True,
        "edge_features_dim": len(EDGE_FEATURE_NAMES),
        "label": "y",
        "cut": 0.5,
    }
    export_model(net, hparams, tmp_path / "model", "gnn")
    return tmp_path / "model"


def score(model_dir, shard, out, *extra):
    return main(["score-edges", "--model", str(model_dir), "--input", str(shard), "--out", str(out), *extra])


def test_flipped_bytes_in_gnn_pt_fail_the_stage(gnn_dir, toy_shards, tmp_path, capsys):
    assert score(gnn_dir, toy_shards["test"][0], tmp_path / "ok.h5") == 0
    weights = gnn_dir / "gnn.pt"
    data = bytearray(weights.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0x5A for b in data[middle : middle + 64])
    weights.write_bytes(bytes(data))
    out = tmp_path / "scored.h5"
    assert score(gnn_dir, toy_shards["test"][0], out) == 1
    err = capsys.readouterr().err
    assert f"{weights}: checksum mismatch, file corrupted or replaced" in err and "Traceback" not in err
    assert not out.exists()


def test_description_naming_another_gnn_class_is_refused(gnn_dir):
    meta = gnn_dir / "gnn.json"
    description = json.loads(meta.read_text())
    description["model"] = "attention_gnn"  # the weights are an interaction network's
    meta.write_text(json.dumps(description))
    with pytest.raises(
        ModelFileError,
        match=r"gnn\.json: the weights were written by class .*InteractionNetwork, "
        r"but model 'attention_gnn' builds .*AttentionGNN",
    ):
        load_gnn(gnn_dir)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_device_without_cuda_is_one_clear_line(gnn_dir, toy_shards, tmp_path, capsys):
    assert score(gnn_dir, toy_shards["test"][0], tmp_path / "o.h5", "--device", "cuda") == 1
    err = capsys.readouterr().err
    assert "--device cuda requested but torch.cuda.is_available() is False" in err and "Traceback" not in err
