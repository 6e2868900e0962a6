"""The tiny config through ``snakemake --executor slurm`` on the local SLURM cluster.

Checks that the outputs match the local run of the same config, that the training rules
were submitted with a GPU request (read back from SLURM's accounting) and that the CPU
rules were not. Needs scripts/slurm/start_local_cluster.sh; skipped without a cluster.
"""

from __future__ import annotations

import filecmp
import json

import pytest

from . import slurm_utils
from .workflow_utils import REPO, env, write_config

pytestmark = [pytest.mark.slurm, pytest.mark.slow]

GPU_RULES = {"train_embedding", "train_filter", "train_gnn"}
CPU_RULES = {
    "simulate",
    "feature_store",
    "build_graphs",
    "filter_graphs",
    "score_edges",
    "build_tracks",
    "reference_tracks",
    "acts_ckf",
    "evaluate",
    "report",
}


@pytest.fixture(scope="module")
def slurm_run(tmp_path_factory):
    ok, reason = slurm_utils.cluster_available()
    if not ok:
        pytest.skip(f"no SLURM cluster: {reason}")
    workdir = tmp_path_factory.mktemp("tiny_slurm")
    # the cluster's GPUs are fake (no CUDA): the trainings ask for them and fall back to the CPU with
    # Lightning's 'auto' accelerator (resources.training.gpu turns only the default 'cpu' into 'gpu')
    auto = {f"{stage}.training.accelerator": "auto" for stage in ("metric_learning", "filtering", "gnn")}
    write_config(workdir, **{"resources.training.gpu": 1, "resources.training.gpu_model": "a100", **auto})
    result = slurm_utils.run_snakemake_slurm(
        REPO / "Snakefile",
        workdir,
        "--configfile",
        str(workdir / "config.yaml"),
        "--jobs",
        "4",
        timeout=1200,
        env=env(),
    )
    assert result.returncode == 0, f"{result.stdout[-6000:]}\n{slurm_utils.slurm_logs_tail(workdir)}"
    return workdir


def test_outputs_match_the_local_run(slurm_run, tiny_run):
    local, remote = tiny_run / "results/tiny", slurm_run / "results/tiny"
    shards = sorted(p.name for p in (local / "events").iterdir())
    assert shards == sorted(p.name for p in (remote / "events").iterdir())
    for shard in shards:
        names = sorted(p.name for p in (local / "events" / shard).iterdir())
        match, mismatch, errors = filecmp.cmpfiles(
            local / "events" / shard, remote / "events" / shard, names, shallow=False
        )
        assert not mismatch and not errors, (shard, mismatch, errors)
    for method in ("reference", "ckf", "gnn"):
        a = json.loads((local / f"evaluation/{method}.json").read_text())
        b = json.loads((remote / f"evaluation/{method}.json").read_text())
        assert a["target"] == b["target"], method
    assert filecmp.cmp(local / "tracks/gnn/test-000.csv", remote / "tracks/gnn/test-000.csv", shallow=False)


def test_training_rules_requested_gpus_and_cpu_rules_did_not(slurm_run):
    records = slurm_utils.wait_for_jobs(GPU_RULES | CPU_RULES, workdir=slurm_run)
    assert all(r["State"].startswith("COMPLETED") for r in records), records
    requested = slurm_utils.job_gpu_requests(workdir=slurm_run)
    allocated = slurm_utils.job_gpu_requests(workdir=slurm_run, which="alloc")
    for rule in GPU_RULES:
        assert requested[rule] == 1 and allocated[rule] == 1, (rule, requested)
    for rule in CPU_RULES:
        assert requested[rule] == 0, (rule, requested)
    by_rule = {r["rule"]: r for r in records}
    assert "a100" in by_rule["train_gnn"]["ReqTRES"]
