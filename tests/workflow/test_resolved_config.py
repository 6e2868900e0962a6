"""The resolved config every job reads is written once a run holds its lock: a dry run writes
nothing, and a second run with another config under the same run name cannot change it
under the first run's pending jobs."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import yaml

from .workflow_utils import REPO, env, run, snakemake_bin, write_config

pytestmark = pytest.mark.slow


def test_dry_run_writes_nothing(tmp_path):
    write_config(tmp_path)
    result = run(tmp_path, "-n")
    assert result.returncode == 0, result.stdout[-2000:]
    assert not (tmp_path / "results").exists()


def test_second_run_cannot_rewrite_a_live_runs_config(tmp_path):
    write_config(
        tmp_path, **{"data.n_events": 6, "run.events_per_shard": 6, "data.split": {"train": 0, "val": 0, "test": 1}}
    )
    target = "results/tiny/events/test-000"
    resolved = tmp_path / "results/tiny/config.resolved.json"
    cmd = [snakemake_bin(), "-s", str(REPO / "Snakefile"), "-d", str(tmp_path), "--cores", "1"]
    # targets before --configfile, which takes every following word as a config file
    first = subprocess.Popen(
        [*cmd, target, "--configfile", str(tmp_path / "config.yaml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
    )
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "results/tiny/logs/simulate/test-000.log").exists():
            assert time.monotonic() < deadline and first.poll() is None, "the first run did not start its job"
            time.sleep(0.2)
        written = resolved.read_text()
        other = yaml.safe_load((tmp_path / "config.yaml").read_text())
        other["simulation"]["mu"] = 7
        (tmp_path / "other.yaml").write_text(yaml.safe_dump(other))
        second = subprocess.run(
            [*cmd, target, "--configfile", str(tmp_path / "other.yaml")],
            capture_output=True,
            text=True,
            timeout=300,
            env=env(),
        )
        assert second.returncode != 0
        assert "lock" in (second.stdout + second.stderr).lower()
        assert resolved.read_text() == written
    finally:
        assert first.wait(timeout=600) == 0
    assert json.loads(resolved.read_text())["simulation"]["mu"] == 4
