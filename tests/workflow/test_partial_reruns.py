"""Changing one stage's config reruns that stage and everything downstream, nothing upstream.

One real run of the tiny config, then dry runs after editing a copy of its config.
"""

from __future__ import annotations

import pytest

from .workflow_utils import run, scheduled, write_config

pytestmark = pytest.mark.slow

# Rules of each stage, in DAG order; "all" is scheduled whenever anything is.
DOWNSTREAM_OF = {
    "simulation": ["simulate", "reference_tracks", "acts_ckf", "evaluate", "report"],
    "acts_ckf": ["acts_ckf", "evaluate", "report"],
    "evaluation": ["evaluate", "report"],
}
EDITS = [
    ("simulation.mu", 5, "simulation"),
    ("acts_ckf.ckf_chi2_cut", 12.0, "acts_ckf"),
    ("evaluation.target.pt_min", 0.9, "evaluation"),
]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("tiny_run")
    write_config(workdir)
    result = run(workdir)
    assert result.returncode == 0, result.stderr[-4000:]
    return workdir


def test_up_to_date_after_a_run(finished_run):
    assert scheduled(finished_run) == {}


@pytest.mark.parametrize("key, value, stage", EDITS)
def test_config_change_reruns_stage_and_downstream(finished_run, key, value, stage):
    write_config(finished_run, **{key: value})
    try:
        jobs = scheduled(finished_run)
    finally:
        write_config(finished_run)
    assert set(jobs) - {"all"} == set(DOWNSTREAM_OF[stage])


def test_outputs_of_the_run(finished_run):
    import json

    result = json.loads((finished_run / "results/tiny/evaluation/reference.json").read_text())
    assert result["target"]["efficiency"] == 1.0
    assert (finished_run / "results/tiny/report/summary.md").read_text().startswith("| method")
