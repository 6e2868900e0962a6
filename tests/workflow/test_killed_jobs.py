"""A job killed with SIGKILL leaves nothing that looks complete, and a rerun finishes the work
(a killed training resumes from its last checkpoint)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from .workflow_utils import REPO, env, snakemake_bin, write_config

pytestmark = pytest.mark.slow


def start(workdir, *targets):
    cmd = [
        snakemake_bin(),
        "-s",
        str(REPO / "Snakefile"),
        "-d",
        str(workdir),
        "--configfile",
        str(workdir / "config.yaml"),
        "--cores",
        "1",
        *targets,
    ]
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), start_new_session=True
    )


def unlock_and_rerun(workdir, target):
    """What a user does after a killed run: ``--unlock``, then rerun with ``--rerun-incomplete``."""
    base = [
        snakemake_bin(),
        "-s",
        str(REPO / "Snakefile"),
        "-d",
        str(workdir),
        "--configfile",
        str(workdir / "config.yaml"),
        "--cores",
        "1",
    ]
    subprocess.run(base + ["--unlock"], capture_output=True, timeout=120, env=env(), check=True)
    result = subprocess.run(
        base + ["--rerun-incomplete", str(target.relative_to(workdir))],
        capture_output=True,
        text=True,
        timeout=600,
        env=env(),
    )
    assert result.returncode == 0, result.stderr[-3000:]


def wait_for(predicate, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_killed_simulation_leaves_no_output_and_rerun_completes(tmp_path):
    write_config(
        tmp_path, **{"data.n_events": 6, "run.events_per_shard": 6, "data.split": {"train": 0, "val": 0, "test": 1}}
    )
    shard = tmp_path / "results/tiny/events/test-000"
    log = tmp_path / "results/tiny/logs/simulate/test-000.log"
    proc = start(tmp_path, str(shard.relative_to(tmp_path)))
    try:
        # kill the whole job tree once the simulation has written its first event
        assert wait_for(lambda: log.exists() and "event" in log.read_text()), "simulation never started"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not shard.exists(), "a killed shard must not leave its output folder behind"
    leftovers = [p.name for p in shard.parent.iterdir()] if shard.parent.exists() else []
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)

    # a SIGKILLed Snakemake leaves its lock: unlock as a user would, then rerun
    unlock_and_rerun(tmp_path, shard)
    assert sorted(p.name for p in shard.glob("*-hits.csv")) == [f"event{e:09d}-hits.csv" for e in range(1000, 1006)]


@pytest.mark.parametrize("checkpoint", ["intact", "cut_short"])
def test_killed_training_resumes_from_its_last_checkpoint(tiny_run, tmp_path, checkpoint):
    """Killed mid-epoch, after at least one checkpoint: the rerun resumes from ``last.ckpt``.
    ``cut_short``: the kill also hit the checkpoint being written (a truncated ``last.ckpt``):
    the rerun moves it aside with a warning and trains from scratch instead of failing."""
    work = tmp_path / "run"
    shutil.copytree(tiny_run, work, symlinks=True)
    epochs = 12
    # a longer embedding training than the finished one (reruns it), without early stopping
    write_config(work, **{"metric_learning.training": {"max_epochs": epochs, "patience": 0}})
    folder = work / "results/tiny/models/embedding"
    model = folder / "embedding.pt"
    shutil.rmtree(folder / "checkpoints")  # so a last.ckpt below can only come from this training
    proc = start(work, str(model.relative_to(work)))
    try:
        assert wait_for(lambda: (folder / "checkpoints/last.ckpt").exists(), 300), "training never wrote a checkpoint"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not model.exists(), "a killed training must not leave a model file that looks complete"
    last = folder / "checkpoints/last.ckpt"
    if checkpoint == "cut_short":
        last.write_bytes(last.read_bytes()[: last.stat().st_size // 3])

    unlock_and_rerun(work, model)
    log = (work / "results/tiny/logs/train_embedding.log").read_text()
    if checkpoint == "intact":
        assert "resuming from" in log and "last.ckpt" in log, log[-3000:]
    else:
        # the job runs in the work folder: the log names the checkpoint by its relative path
        assert "checkpoints/last.ckpt is unreadable" in log and "training from scratch" in log, log[-3000:]
        assert "resuming from" not in log and last.with_name("last.ckpt.corrupt").exists()
    assert json.loads((folder / "metrics.json").read_text())["epochs"] == epochs
    assert model.exists()
