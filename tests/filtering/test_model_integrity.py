"""Exported filter files: checksum, stage, class and hyperparameters verified on load; NaN
scores refused before anything is written."""

import hashlib
import json
import logging

import numpy as np
import pytest
import torch

import trackgnn.filtering.models  # noqa: F401  (registers models)
from trackgnn.data import read_store
from trackgnn.data.tensors import EventGraph
from trackgnn.edge_classifier.apply import apply_to_shard, score_edges
from trackgnn.edge_classifier.export import export_model, load_exported
from trackgnn.edge_features import EDGE_FEATURE_NAMES
from trackgnn.filtering.registry import FILTER_MODELS
from trackgnn.utils.finite import NonFiniteError
from trackgnn.utils.model_files import FORMAT_VERSION, ModelFileError


def exported_filter(folder, stem="filter", **kwargs):
    """A small untrained MLP filter exported to ``folder``: ``(net, hparams)``."""
    torch.manual_seed(0)
    hparams = {
        "model": "mlp",
        "model_kwargs": {"hidden": 8, "n_layers": 2, **kwargs},
        "node_features": 3,
        "edge_features": True,
        "edge_features_dim": len(EDGE_FEATURE_NAMES),
        "label": "y",
        "cut": 0.5,
    }
    net = FILTER_MODELS.get("mlp")(node_features=3, edge_features=len(EDGE_FEATURE_NAMES), **hparams["model_kwargs"])
    export_model(net.eval(), hparams, folder, stem)
    return net, hparams


def first_event(path):
    _, events = read_store(path)
    event_id, arrays = next(iter(events.items()))
    return EventGraph.from_arrays(arrays, f"{path} event {event_id}")


def edit_json(path, change):
    meta = json.loads(path.read_text())
    change(meta)
    path.write_text(json.dumps(meta))


def test_export_records_checksum_stage_and_class(tmp_path, toy_shards):
    net, hparams = exported_filter(tmp_path)
    meta = json.loads((tmp_path / "filter.json").read_text())
    block = meta["integrity"]
    assert block["weights_sha256"] == hashlib.sha256((tmp_path / "filter.pt").read_bytes()).hexdigest()
    assert block["format_version"] == FORMAT_VERSION and block["stage"] == "filter"
    assert block["model_class"].endswith(type(net).__qualname__)
    loaded, loaded_hparams = load_exported(tmp_path, "filter", FILTER_MODELS)
    assert "integrity" not in loaded_hparams and loaded_hparams["model_kwargs"] == hparams["model_kwargs"]
    data = first_event(toy_shards["test"][0])
    np.testing.assert_array_equal(score_edges(loaded, loaded_hparams, data), score_edges(net, hparams, data))


def test_flipped_bytes_are_a_checksum_error(tmp_path):
    exported_filter(tmp_path)
    weights = tmp_path / "filter.pt"
    data = bytearray(weights.read_bytes())
    for i in range(len(data) - 200, len(data) - 136):  # 64 bytes inside the tensor data
        data[i] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"filter\.pt: checksum mismatch, file corrupted or replaced"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_old_description_without_checksum_loads_with_a_warning(tmp_path, caplog):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m.pop("integrity"))
    with caplog.at_level(logging.WARNING, logger="trackgnn.utils.model_files"):
        net, _ = load_exported(tmp_path, "filter", FILTER_MODELS)
    assert not net.training
    assert any("filter.json: no checksum" in r.getMessage() for r in caplog.records)


def test_model_of_another_stage_is_refused(tmp_path):
    exported_filter(tmp_path, stem="gnn")  # written as if by the GNN stage
    for suffix in (".pt", ".json"):
        (tmp_path / f"gnn{suffix}").rename(tmp_path / f"filter{suffix}")
    with pytest.raises(ModelFileError, match=r"filter\.json: holds a gnn model, but a filter model is needed"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_unknown_model_name_names_the_file(tmp_path):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m.update(model="interaction_network"))
    with pytest.raises(ModelFileError, match=r"filter\.json: unknown filter model 'interaction_network'"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_class_recorded_at_export_must_match(tmp_path):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m["integrity"].update(model_class="trackgnn.x.OtherFilter"))
    with pytest.raises(ModelFileError, match=r"written by class trackgnn\.x\.OtherFilter, but model 'mlp' builds"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_newer_format_is_refused(tmp_path):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m["integrity"].update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(ModelFileError, match="format_version"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_typo_in_a_hyperparameter_names_the_key(tmp_path):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m["model_kwargs"].update(hiden=8))
    with pytest.raises(ModelFileError, match=r"filter\.json: model_kwargs \['hiden'\] not accepted by .*MLPFilter"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_weights_of_another_shape_name_the_key(tmp_path):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m["model_kwargs"].update(hidden=16))
    with pytest.raises(ModelFileError, match=r"filter\.pt: weights do not fit .*shape mismatch: '.*weight' is \(8, "):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_missing_and_unexpected_keys_are_listed(tmp_path):
    exported_filter(tmp_path)
    state = torch.load(tmp_path / "filter.pt", weights_only=True)
    first = sorted(state)[0]
    state["extra.weight"] = state.pop(first)
    torch.save(state, tmp_path / "filter.pt")
    edit_json(tmp_path / "filter.json", lambda m: m.pop("integrity"))  # an old file, no checksum to stop it
    with pytest.raises(ModelFileError, match=rf"missing keys \['{first}'\]; unexpected keys \['extra.weight'\]"):
        load_exported(tmp_path, "filter", FILTER_MODELS)


def test_nan_scores_stop_the_stage_before_writing(tmp_path, toy_shards):
    net, hparams = exported_filter(tmp_path / "model")
    with torch.no_grad():
        next(net.parameters())[0, 0] = float("nan")  # a model that scores NaN, exported with a valid checksum
    export_model(net, hparams, tmp_path / "model", "filter")
    loaded, hparams = load_exported(tmp_path / "model", "filter", FILTER_MODELS)
    shard, out = toy_shards["test"][0], tmp_path / "filtered.h5"
    with pytest.raises(
        NonFiniteError,
        match=rf"{shard} event \d+: \d+ of \d+ edge scores 'filter_score' are NaN; "
        "the model file or the input features are corrupt",
    ):
        apply_to_shard(loaded, hparams, shard, out, "filter_score", 0.5, remove=True, metrics_path=tmp_path / "m.json")
    assert not out.exists() and not (tmp_path / "m.json").exists()


def test_integrity_block_without_checksum_is_refused(tmp_path):
    exported_filter(tmp_path)
    edit_json(tmp_path / "filter.json", lambda m: m["integrity"].pop("weights_sha256"))
    with pytest.raises(ModelFileError, match=r"filter\.pt: its description's 'integrity' block has no weights_sha256"):
        load_exported(tmp_path, "filter", FILTER_MODELS)
