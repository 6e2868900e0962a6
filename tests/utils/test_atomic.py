"""Atomic writes: a folder is not a file, and a killed writer's temporaries are cleaned."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from trackgnn.utils.atomic import atomic_path, atomic_write_text


def test_a_folder_is_refused_as_a_file_path(tmp_path):
    (tmp_path / "tracks.csv").mkdir()
    with pytest.raises(IsADirectoryError, match="tracks.csv: is a folder"):
        atomic_write_text(tmp_path / "tracks.csv", "x")
    assert (tmp_path / "tracks.csv").is_dir()


def test_failed_write_leaves_old_content(tmp_path):
    target = tmp_path / "m.json"
    atomic_write_text(target, "old")
    with pytest.raises(ZeroDivisionError), atomic_path(target) as tmp:
        tmp.write_text("new")
        raise ZeroDivisionError("the write fails")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


def test_temporaries_of_dead_writers_are_removed_live_ones_kept(tmp_path):
    host = socket.gethostname().replace(".", "_")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    stale = tmp_path / f".m.json.{host}-{dead}.abcd.tmp.json"
    live = tmp_path / f".m.json.{host}-{os.getppid()}.efgh.tmp.json"
    stale.write_text("half")
    live.write_text("being written")
    atomic_write_text(tmp_path / "m.json", "{}")
    assert not stale.exists()
    assert live.exists()
    assert (tmp_path / "m.json").read_text() == "{}"
