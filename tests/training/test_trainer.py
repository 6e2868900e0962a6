import logging

import torch

from trackgnn.training import last_checkpoint


def write_checkpoint(path, marker: float) -> None:
    """A minimal file that reads like a Lightning checkpoint (``state_dict`` inside)."""
    torch.save({"state_dict": {"w": torch.tensor([marker])}, "epoch": 0}, path)


def test_resume_only_from_checkpoints_of_the_same_configuration(tmp_path):
    assert last_checkpoint(tmp_path, {"gnn": {"hidden": 8}}) is None
    ckpt = tmp_path / "checkpoints" / "last.ckpt"
    write_checkpoint(ckpt, 1.0)
    # same fingerprint: an interrupted run resumes
    assert last_checkpoint(tmp_path, {"gnn": {"hidden": 8}}) == ckpt
    # changed config: the stale checkpoint is removed, not resumed
    assert last_checkpoint(tmp_path, {"gnn": {"hidden": 16}}) is None
    assert not ckpt.exists()
    # without a fingerprint the folder is only looked at
    write_checkpoint(ckpt, 2.0)
    assert last_checkpoint(tmp_path) == ckpt


def test_corrupt_last_checkpoint_is_moved_aside_and_training_starts_afresh(tmp_path, caplog):
    fingerprint = {"gnn": {"hidden": 8}}
    last_checkpoint(tmp_path, fingerprint)
    ckpt = tmp_path / "checkpoints" / "last.ckpt"
    write_checkpoint(ckpt, 1.0)
    data = bytearray(ckpt.read_bytes())
    ckpt.write_bytes(bytes(data[: len(data) // 2]))  # a copy cut short
    with caplog.at_level(logging.WARNING, logger="trackgnn.training.trainer"):
        assert last_checkpoint(tmp_path, fingerprint) is None
    aside = ckpt.with_name("last.ckpt.corrupt")
    assert not ckpt.exists() and aside.read_bytes() == bytes(data[: len(data) // 2])
    assert any(str(ckpt) in r.getMessage() and "training from scratch" in r.getMessage() for r in caplog.records)
    # the next (re)run is not blocked: a fresh checkpoint resumes again
    write_checkpoint(ckpt, 2.0)
    assert last_checkpoint(tmp_path, fingerprint) == ckpt


def test_checkpoint_without_state_dict_is_not_resumed(tmp_path):
    last_checkpoint(tmp_path, {"filter": {}})
    ckpt = tmp_path / "checkpoints" / "last.ckpt"
    torch.save({"epoch": 3}, ckpt)
    assert last_checkpoint(tmp_path, {"filter": {}}) is None
    assert (tmp_path / "checkpoints" / "last.ckpt.corrupt").exists()


def test_fingerprint_with_nan_is_valid_json(tmp_path):
    import json

    last_checkpoint(tmp_path, {"gnn": {"pos_weight": float("nan")}})
    assert json.loads((tmp_path / "checkpoints" / "fingerprint.json").read_text()) == {"gnn": {"pos_weight": None}}
