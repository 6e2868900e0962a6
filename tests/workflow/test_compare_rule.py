"""The comparison table (rule compare) is part of a run when the ACTS CKF baseline is, reads
every evaluated method with its chain's benchmark files, and is absent otherwise (dry runs
of a fresh folder: nothing is executed)."""

from __future__ import annotations

import re

import pytest

from .workflow_utils import run, scheduled, write_config

pytestmark = pytest.mark.slow

RUN = "results/tiny"


def compare_job(workdir) -> tuple[str, str]:
    """(inputs, shell command) of the compare job of a dry run."""
    result = run(workdir, "-n", "-p", "compare")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    block = result.stdout.split("rule compare:", 1)[1].split("\n\n", 1)[0]
    inputs = re.search(r"input: (.*)", block).group(1)
    command = re.search(r"Shell command: (.*)", block).group(1)
    return inputs, command


def test_compare_is_a_job_of_the_run_with_every_method(tmp_path):
    write_config(tmp_path)
    assert scheduled(tmp_path)["compare"] == 1
    inputs, command = compare_job(tmp_path)
    assert "--methods gnn gnn_kf ckf reference" in command
    assert f"--out-json {RUN}/report/comparison.json --markdown {RUN}/report/comparison.md" in command
    for method in ("gnn", "gnn_kf", "ckf", "reference"):
        assert f"{RUN}/evaluation/{method}.json" in inputs and f"{RUN}/tracks/{method}/test-000.csv" in inputs
    for rule in ("feature_store", "build_graphs", "filter_graphs", "score_edges", "build_tracks"):
        assert f"{RUN}/benchmarks/{rule}/test-000.tsv" in inputs
    assert f"{RUN}/benchmarks/fit_tracks/test-000.tsv" in inputs
    assert f"{RUN}/benchmarks/acts_ckf/test-000.tsv" in inputs


def test_without_the_kalman_fit_its_row_and_jobs_are_left_out(tmp_path):
    write_config(tmp_path, **{"evaluation.kalman_fit": False})
    inputs, command = compare_job(tmp_path)
    assert "--methods gnn ckf reference" in command
    assert "gnn_kf" not in inputs and "fit_tracks" not in inputs


def test_no_comparison_without_the_ckf_baseline(tmp_path):
    write_config(tmp_path, **{"evaluation.acts_ckf": False})
    jobs = scheduled(tmp_path)
    assert "compare" not in jobs and "evaluate" in jobs
