"""Output folders: never delete an input or a folder trackgnn did not write."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from trackgnn.cli import main
from trackgnn.io import write_event
from trackgnn.utils.outdir import MARKER, OutputFolderError, atomic_directory


def _events(folder, ids=(0, 1)):
    for event_id in ids:
        hits = pd.DataFrame(
            {
                "hit_id": [1, 2],
                "x": [30.0, 70.0],
                "y": [1.0, 2.0],
                "z": [5.0, 9.0],
                "volume_id": 8,
                "layer_id": [2, 4],
                "module_id": 1,
            }
        )
        write_event(folder, event_id, hits=hits)
    return sorted(p.name for p in folder.iterdir())


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("out", ["data", "data/sub", "."])
def test_link_events_refuses_out_overlapping_input(tmp_path, monkeypatch, capsys, out):
    data = tmp_path / "data"
    data.mkdir()
    _events(data)
    before = _snapshot(data)
    monkeypatch.chdir(tmp_path)
    assert main(["link-events", "--input", "data", "--event-ids", "0", "--out", out]) == 1
    err = capsys.readouterr().err
    assert "overlaps the input" in err and "data" in err
    assert _snapshot(data) == before  # the originals are still there, unchanged
    assert not any(p.is_symlink() for p in data.rglob("*"))


def test_link_events_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    data, mine = tmp_path / "data", tmp_path / "mine"
    data.mkdir()
    mine.mkdir()
    _events(data)
    (mine / "thesis.tex").write_text("years of work")
    assert main(["link-events", "--input", str(data), "--event-ids", "0", "--out", str(mine)]) == 1
    assert "did not write" in capsys.readouterr().err
    assert (mine / "thesis.tex").read_text() == "years of work"


def test_link_events_replaces_its_own_output(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    _events(data)
    assert main(["link-events", "--input", str(data), "--event-ids", "0", "--out", str(out)]) == 0
    assert (out / MARKER).exists() and (out / "event000000000-hits.csv").is_symlink()
    assert main(["link-events", "--input", str(data), "--event-ids", "1", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [MARKER, "event000000001-hits.csv"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no temporaries left


def test_failed_build_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    with atomic_directory(out) as tmp:
        (tmp / "a.txt").write_text("first")
    with pytest.raises(RuntimeError), atomic_directory(out) as tmp:
        (tmp / "a.txt").write_text("second, half done")
        raise RuntimeError("killed")
    assert (out / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_input_inside_output_is_refused(tmp_path):
    (tmp_path / "out" / "data").mkdir(parents=True)
    with pytest.raises(OutputFolderError, match="overlaps the input"):
        with atomic_directory(tmp_path / "out", inputs=[tmp_path / "out" / "data"]):
            pass


def test_simulate_refuses_its_particles_folder(tmp_path, capsys):
    particles = tmp_path / "particles"
    particles.mkdir()
    (particles / "event000001000-particles.csv").write_text("particle_id,vx,vy,vz,px,py,pz,q,nhits\n")
    assert main(["simulate", "--out", str(particles), "--particles", str(particles), "--events", "1"]) == 1
    assert "overlaps the input" in capsys.readouterr().err
    assert os.listdir(particles) == ["event000001000-particles.csv"]
