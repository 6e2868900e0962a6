"""``trackgnn export``: the tiny run's networks as TorchScript (and ONNX where the packages are
installed) score like the eager networks, on inputs of other sizes and on a real graph."""

from __future__ import annotations

import json

import pytest
import torch

from trackgnn.cli import main
from trackgnn.model_export import ExportError, example_inputs, export_models, load_stage

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models(tiny_run):
    return tiny_run / "results" / "tiny" / "models"


def test_torchscript_parity_on_a_real_graph(models, tmp_path):
    from trackgnn.data import read_store
    from trackgnn.data.tensors import EventGraph  # noqa: F401  (the shard's arrays below)
    from trackgnn.edge_features import edge_geometry

    assert main(["export", "--models", str(models), "--out", str(tmp_path), "--format", "torchscript"]) == 0
    assert {p.name for p in tmp_path.glob("*.pt")} == {"embedding.pt", "filter.pt", "gnn.pt"}
    shard = models.parent / "filtered" / "test-000.h5"
    _, events = read_store(shard)
    arrays = next(iter(events.values()))
    x = torch.from_numpy(arrays["x"]).float()
    edge_index = torch.from_numpy(arrays["edge_index"]).long()
    attr = edge_geometry(edge_index, *(torch.from_numpy(arrays[k]).float() for k in ("r", "phi", "z", "eta")))
    program, _ = load_stage(models, "gnn")
    exported = torch.jit.load(str(tmp_path / "gnn.pt"))
    with torch.no_grad():
        diff = (exported(x, edge_index, attr) - program(x, edge_index, attr)).abs().max()
    assert float(diff) <= 1e-5
    contract = json.loads((tmp_path / "gnn.torchscript.json").read_text())
    assert contract["max_abs_difference"] <= 1e-5 and contract["output"] == "[E] logits"


def test_shapes_are_not_baked_in(models, tmp_path):
    export_models(models, tmp_path, "torchscript", ("filter",))
    program, sizes = load_stage(models, "filter")
    exported = torch.jit.load(str(tmp_path / "filter.pt"))
    for n_nodes, n_edges in ((5, 3), (300, 2000)):
        inputs = example_inputs("filter", sizes, n_nodes, n_edges, seed=n_nodes)
        with torch.no_grad():
            assert torch.allclose(exported(*inputs), program(*inputs), atol=1e-5)


def test_onnx(models, tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    report = export_models(models, tmp_path, "onnx")
    assert set(report) == {"embedding", "filter", "gnn"}
    assert all(r["max_abs_difference"] <= 1e-5 for r in report.values())


def test_errors_name_what_is_missing(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["export", "--models", str(tmp_path / "empty"), "--out", str(tmp_path / "o")]) == 1
    assert "no trained model" in capsys.readouterr().err
    with pytest.raises(ExportError, match="expected one of"):
        export_models(tmp_path, tmp_path / "o", "tflite")
