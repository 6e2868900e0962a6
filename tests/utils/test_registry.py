"""Models packages span ``trackgnn/<stage>/models`` below every ``sys.path`` entry."""

import sys

from trackgnn.utils.registry import models_path


def test_models_path_adds_each_existing_folder_once(tmp_path, monkeypatch):
    own = tmp_path / "own"
    own.mkdir()
    plugin = tmp_path / "plugins" / "trackgnn" / "gnn" / "models"
    plugin.mkdir(parents=True)
    monkeypatch.setattr(
        sys, "path", [str(tmp_path / "plugins"), str(tmp_path / "nothing_here"), "", str(tmp_path / "plugins")]
    )
    assert models_path([str(own)], "trackgnn.gnn.models") == [str(own), str(plugin)]
    assert models_path([str(own)], "trackgnn.filtering.models") == [str(own)]  # no such folder below the entries


def test_models_path_does_not_repeat_the_packages_own_folder(tmp_path, monkeypatch):
    folder = tmp_path / "trackgnn" / "gnn" / "models"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert models_path([str(folder)], "trackgnn.gnn.models") == [str(folder)]
