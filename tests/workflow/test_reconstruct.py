"""``trackgnn reconstruct`` is the workflow's inference path: on the tiny run's test events
with its models it writes the very tracks the workflow wrote, and refuses what it cannot do
with one line naming what is missing."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from trackgnn.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run_dir(tiny_run):
    return tiny_run / "results" / "tiny"


def test_same_tracks_as_the_workflow(run_dir, tmp_path):
    events = run_dir / "events" / "test-000"
    assert (
        main(
            [
                "reconstruct",
                "--models",
                str(run_dir / "models"),
                "--events",
                str(events),
                "--out",
                str(tmp_path / "out"),
                "--no-progress",
            ]
        )
        == 0
    )
    workflow = pd.read_csv(run_dir / "tracks" / "gnn" / "test-000.csv")
    for event_id, expected in workflow.groupby("event_id"):
        mine = pd.read_csv(tmp_path / "out" / f"event{event_id:09d}-tracks.csv")
        assert (
            mine.sort_values("hit_id")
            .reset_index(drop=True)
            .equals(expected.sort_values("hit_id").reset_index(drop=True))
        )
    assert (tmp_path / "out" / "timing.json").is_file()


def test_empty_folder(run_dir, tmp_path, capsys):
    (tmp_path / "none").mkdir()
    assert (
        main(
            [
                "reconstruct",
                "--models",
                str(run_dir / "models"),
                "--events",
                str(tmp_path / "none"),
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 1
    )
    assert "no TrackML events" in capsys.readouterr().err


def _config_with_features(run_dir, tmp_path, features):
    import json

    config = json.loads((run_dir / "config.resolved.json").read_text())
    config["feature_store"]["features"] = features
    path = tmp_path / "features.json"
    path.write_text(json.dumps(config))
    return config, path


def test_events_without_cells_for_cell_models(run_dir, tmp_path, capsys):
    """Models whose features need cells, events without cells files: refused before any work."""
    _, config = _config_with_features(run_dir, tmp_path, ["r", "phi", "z", "cell_count"])
    events = tmp_path / "events"
    shutil.copytree(run_dir / "events" / "test-000", events, symlinks=True)
    for cells in events.glob("*-cells.csv*"):
        cells.unlink()
    assert (
        main(
            [
                "reconstruct",
                "--models",
                str(run_dir / "models"),
                "--events",
                str(events),
                "--out",
                str(tmp_path / "out"),
                "--config",
                str(config),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "no cells file" in err and "cell_count" in err and "hits_only" in err
    assert not (tmp_path / "out").exists()


def test_missing_model_file(run_dir, tmp_path, capsys):
    models = tmp_path / "models"
    shutil.copytree(run_dir / "models", models)
    (models / "gnn" / "gnn.pt").unlink()
    assert (
        main(
            [
                "reconstruct",
                "--models",
                str(models),
                "--events",
                str(run_dir / "events" / "test-000"),
                "--out",
                str(tmp_path / "out"),
                "--config",
                str(run_dir / "config.resolved.json"),
            ]
        )
        == 1
    )
    assert "missing model file(s) ['gnn/gnn.pt']" in capsys.readouterr().err


def test_models_of_another_feature_set(run_dir, tmp_path, capsys):
    """A config naming other features than the models were trained on: the graph stage says so."""
    import json

    trained = json.loads((run_dir / "config.resolved.json").read_text())["feature_store"]["features"]
    other = ["r", "phi", "z"] if "cell_count" in trained else ["r", "phi", "z", "cell_count"]
    _, config = _config_with_features(run_dir, tmp_path, other)
    assert (
        main(
            [
                "reconstruct",
                "--models",
                str(run_dir / "models"),
                "--events",
                str(run_dir / "events" / "test-000"),
                "--out",
                str(tmp_path / "out"),
                "--config",
                str(config),
            ]
        )
        == 1
    )
    assert "feature_names" in capsys.readouterr().err
