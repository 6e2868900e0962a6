"""Code digests follow the imports a stage command really runs."""

from __future__ import annotations

import pytest

from trackgnn.utils import codehash


def _names(command):
    return {str(p.relative_to(codehash.PACKAGE)) for p in codehash.command_closure(command)}


def test_score_edges_covers_what_the_gnn_runs():
    files = _names("score-edges")
    # the message aggregation and the shared classifier code (missed by the hand-kept lists)
    assert {"nn/scatter.py", "gnn/run.py", "gnn/models/interaction_network.py", "data/store.py"} <= files
    assert not {"track_building/base.py", "simulation/event.py", "report/plots.py"} & files


def test_build_tracks_covers_data_but_not_training():
    files = _names("build-tracks")
    assert {"data/store.py", "track_building/methods/walkthrough.py", "tracks.py"} <= files
    assert not {"training/trainer.py", "gnn/run.py"} & files


def test_commands_sharing_a_cli_file_keep_their_own_imports():
    evaluate, summary = _names("evaluate"), _names("summary")
    assert "report/plots.py" in summary and "report/plots.py" not in evaluate
    assert "evaluation.py" in evaluate and "evaluation.py" not in summary
    assert "cli/score.py" not in evaluate  # other subcommands only register themselves


def test_lazy_package_attributes_pull_only_their_branch():
    files = _names("build-graphs")
    assert "graph_construction/build.py" in files
    assert "graph_construction/train.py" not in files


def test_compiled_sources_count():
    assert "graph_construction/backends/kdknn.cpp" in _names("build-graphs")


def test_registry_folders_are_included_whole(tmp_path):
    files = _names("train-gnn")
    assert {"gnn/models/attention.py", "gnn/models/interaction_network.py"} <= files


def test_digest_changes_with_any_byte(monkeypatch, tmp_path):
    monkeypatch.setattr(codehash, "PACKAGE", tmp_path)
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("y = 2\n")
    before = codehash.digest_files([a, b])
    assert codehash.digest_files([b, a]) == before  # order-free
    a.write_text("x = 1\n# comment\n")
    assert codehash.digest_files([a, b]) != before


def test_unknown_command():
    with pytest.raises(KeyError, match="no trackgnn subcommand 'nope'"):
        codehash.command_hash("nope")
