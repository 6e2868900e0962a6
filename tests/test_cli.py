import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.metrics.hand_event import NOISE, P1, P2, P3, hand_event, tracks_from
from trackgnn.cli import main
from trackgnn.io import write_event


@pytest.fixture
def hand_dir(tmp_path):
    truth, particles = hand_event()
    hits = pd.DataFrame(
        {
            "hit_id": truth["hit_id"],
            "x": truth["tx"],
            "y": truth["ty"],
            "z": truth["tz"],
            "volume_id": 8,
            "layer_id": 2,
            "module_id": truth["hit_id"],
        }
    )
    write_event(tmp_path, 5, hits=hits, particles=particles, truth=truth)
    return tmp_path


def test_help_lists_every_stage():
    out = subprocess.run(
        [sys.executable, "-m", "trackgnn", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("simulate", "score", "evaluate", "build-tracks", "reference-tracks", "summary"):
        assert command in out


def test_score_prints_one_json_object(hand_dir, tmp_path, capsys):
    tracks = tracks_from([P1, P2, P3[:2]])
    tracks.to_csv(tmp_path / "t.csv", index=False)
    # the noise hits are left out: a partial submission
    assert (
        main(
            ["score", "--event-dir", str(hand_dir), "--tracks", str(tmp_path / "t.csv"), "--event-id", "5", "--partial"]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["efficiency"] == pytest.approx(2 / 3)
    assert 0 < result["trackml_score"] < 1
    assert {"fake_rate", "duplicate_rate", "n_tracks", "cuts"} <= set(result)
    assert result["cuts"]["pt_min"] == 1.0


def test_score_with_event_id_column_and_cuts(hand_dir, tmp_path, capsys):
    tracks = tracks_from([P1, P2, P3, NOISE]).assign(event_id=5)[["event_id", "hit_id", "track_id"]]
    tracks.to_csv(tmp_path / "t.csv", index=False)
    assert main(["score", "--event-dir", str(hand_dir), "--tracks", str(tmp_path / "t.csv"), "--min-hits", "7"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_target_particles"] == 1 and result["efficiency"] == 1.0


def test_score_reports_bad_tracks_file(hand_dir, tmp_path, capsys):
    (tmp_path / "t.csv").write_text("hit,track\n1,2\n")
    assert main(["score", "--event-dir", str(hand_dir), "--tracks", str(tmp_path / "t.csv"), "--event-id", "5"]) == 1
    err = capsys.readouterr().err
    assert "t.csv" in err and "expected event_id,hit_id,track_id" in err
