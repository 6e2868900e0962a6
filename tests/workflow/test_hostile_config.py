"""Config values reach the jobs' shell commands quoted: nothing in a path is executed, and
run names and result folders cannot send outputs outside the results folder."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from trackgnn.io import write_event

from .workflow_utils import run

HOSTILE = "odd $(touch PWNED1) `touch PWNED2`; touch PWNED3 'q\" dir"


def _write_config(workdir, **run_keys):
    data = workdir / HOSTILE / "events in here"
    data.mkdir(parents=True, exist_ok=True)
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
    write_event(data, 7, hits=hits)
    models = workdir / "models"
    models.mkdir(exist_ok=True)
    config = {
        "run": {"name": "hostile", "results_dir": f"res {HOSTILE}", "events_per_shard": 1, **run_keys},
        "data": {"source": "directory", "input_dir": str(data), "has_truth": False},
        "inference": {"models_dir": str(models)},
    }
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    return data


def _pwned(workdir):
    return sorted(str(p) for p in workdir.rglob("PWNED*")) + sorted(str(p) for p in workdir.parent.glob("PWNED*"))


def test_hostile_paths_are_data_not_commands(tmp_path):
    workdir = tmp_path / "w"
    workdir.mkdir()
    _write_config(workdir)
    target = f"res {HOSTILE}/hostile/events/test-000"
    dry = run(workdir, "-n", target)
    assert dry.returncode == 0, dry.stdout[-3000:]
    assert not (workdir / f"res {HOSTILE}").exists()  # a dry run writes nothing
    result = run(workdir, target)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert _pwned(workdir) == []
    events = workdir / target
    assert (events / "event000000007-hits.csv").is_symlink()
    assert (workdir / f"res {HOSTILE}/hostile/logs/link_events/test-000.log").exists()


@pytest.mark.parametrize(
    "run_keys, message",
    [
        ({"name": ".."}, "run.name"),
        ({"results_dir": "../../outside"}, "climbs out"),
    ],
)
def test_escaping_results_are_refused(tmp_path, run_keys, message):
    workdir = tmp_path / "w"
    workdir.mkdir()
    _write_config(workdir, **run_keys)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = run(workdir, "-n", "res/hostile/events/test-000")
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
