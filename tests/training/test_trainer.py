from trackgnn.training import last_checkpoint


def test_resume_only_from_checkpoints_of_the_same_configuration(tmp_path):
    assert last_checkpoint(tmp_path, {"gnn": {"hidden": 8}}) is None
    ckpt = tmp_path / "checkpoints" / "last.ckpt"
    ckpt.write_bytes(b"x")
    # same fingerprint: an interrupted run resumes
    assert last_checkpoint(tmp_path, {"gnn": {"hidden": 8}}) == ckpt
    # changed config: the stale checkpoint is removed, not resumed
    assert last_checkpoint(tmp_path, {"gnn": {"hidden": 16}}) is None
    assert not ckpt.exists()
    # without a fingerprint the folder is only looked at
    ckpt.write_bytes(b"y")
    assert last_checkpoint(tmp_path) == ckpt
