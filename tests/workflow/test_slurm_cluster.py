"""The SLURM side of the workflow on a real (local) SLURM cluster.

Runs a tiny self-contained Snakefile through ``snakemake --executor slurm`` with the
project's profile (workflow/profiles/slurm) and checks, from SLURM's own accounting,
that the GPU rule asked for and got a GPU and the CPU rule did not.

Needs a cluster: ``sudo scripts/slurm/start_local_cluster.sh``; skipped otherwise.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from . import slurm_utils

SNAKEFILE = textwrap.dedent(
    """
    localrules: all

    rule all:
        input: "all.txt"

    rule cpu_step:
        output: "cpu.txt"
        resources: cpus_per_task=1, mem_mb=500, runtime=5
        shell: "echo cpu-ok > {output}; echo CVD=${{CUDA_VISIBLE_DEVICES:-none}} >> {output}"

    rule gpu_step:
        output: "gpu.txt"
        resources: gpu=1, gpu_model="a100", cpus_per_task=1, mem_mb=500, runtime=5
        shell: "echo gpu-ok > {output}; echo CVD=${{CUDA_VISIBLE_DEVICES:-none}} >> {output}"

    rule aggregate:
        input: cpu="cpu.txt", gpu="gpu.txt"
        output: "all.txt"
        resources: mem_mb=500, runtime=5
        shell: "cat {input.cpu} {input.gpu} > {output}"
    """
)


@pytest.fixture(scope="module")
def cluster():
    ok, reason = slurm_utils.cluster_available()
    if not ok:
        pytest.skip(reason)
    return reason


@pytest.mark.slurm
def test_snakemake_slurm_gpu_and_cpu_jobs(cluster, tmp_path):
    snakefile = tmp_path / "Snakefile"
    snakefile.write_text(SNAKEFILE)
    env = {k: v for k, v in os.environ.items() if k != "CUDA_VISIBLE_DEVICES"}

    res = slurm_utils.run_snakemake_slurm(snakefile, tmp_path, "all", timeout=110, env=env)
    assert res.returncode == 0, (
        f"snakemake rc={res.returncode} (124/137 = timed out)\n{res.stdout[-6000:]}\n"
        f"{slurm_utils.slurm_logs_tail(tmp_path)}"
    )

    # outputs and their content
    cpu = (tmp_path / "cpu.txt").read_text().split()
    gpu = (tmp_path / "gpu.txt").read_text().split()
    assert cpu == ["cpu-ok", "CVD=none"], cpu
    assert gpu[0] == "gpu-ok", gpu
    cvd = gpu[1].removeprefix("CVD=")
    assert cvd not in ("", "none"), f"GPU job saw no CUDA_VISIBLE_DEVICES: {gpu}"
    assert all(x.isdigit() for x in cvd.split(",")), cvd
    assert (tmp_path / "all.txt").read_text() == "cpu-ok\nCVD=none\n" + f"gpu-ok\nCVD={cvd}\n"

    # what SLURM recorded for each job
    recs = slurm_utils.wait_for_jobs({"cpu_step", "gpu_step", "aggregate"}, workdir=tmp_path)
    by_rule = {r["rule"]: r for r in recs}
    assert {"cpu_step", "gpu_step", "aggregate"} <= set(by_rule), recs
    assert "all" not in by_rule, "localrule 'all' must not be submitted"
    for rule in ("cpu_step", "gpu_step", "aggregate"):
        assert by_rule[rule]["State"].startswith("COMPLETED"), by_rule[rule]

    req = slurm_utils.job_gpu_requests(workdir=tmp_path)
    alloc = slurm_utils.job_gpu_requests(workdir=tmp_path, which="alloc")
    assert req["gpu_step"] == 1, by_rule["gpu_step"]
    assert alloc["gpu_step"] == 1, by_rule["gpu_step"]
    assert "a100" in by_rule["gpu_step"]["ReqTRES"], by_rule["gpu_step"]
    assert req["cpu_step"] == 0 and alloc["cpu_step"] == 0, by_rule["cpu_step"]
    assert req["aggregate"] == 0, by_rule["aggregate"]
    # resources from the rule reached sbatch
    assert "mem=500M" in by_rule["cpu_step"]["ReqTRES"], by_rule["cpu_step"]


def test_gpu_tres_parsing():
    """Pure-Python check of the sacct/scontrol parsing used above (no cluster)."""
    assert slurm_utils.parse_gpus("billing=1,cpu=1,gres/gpu:a100=1,gres/gpu=1,mem=1000M") == 1
    assert slurm_utils.parse_gpus("cpu=2,gres/gpu:a100=2,mem=1G") == 2
    assert slurm_utils.parse_gpus("cpu=1,mem=500M,node=1") == 0
    assert slurm_utils.parse_gpus("gres:gpu:a100:1") == 1
    assert slurm_utils.parse_gpus("") == 0
    assert slurm_utils.rule_from_comment("rule_gpu_step") == "gpu_step"
    assert slurm_utils.rule_from_comment("rule_train_wildcards_event=1") == "train"
    assert slurm_utils.rule_from_comment("") is None
