"""Helpers for tests that submit Snakemake jobs to a (local) SLURM cluster.

Start the local cluster with ``scripts/slurm/start_local_cluster.sh`` (root).

* :func:`cluster_available` tells whether a usable cluster answers (for skips).
* :func:`run_snakemake_slurm` runs snakemake with the project's SLURM profile under
  ``timeout -k`` (the SLURM executor can hang forever when accounting breaks).
* :func:`sacct_jobs` / :func:`job_gpu_requests` read back what each job asked for and
  got, keyed by rule name (the executor puts ``rule_<name>`` into the job comment and
  a per-run UUID into the job name).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SLURM_PROFILE = REPO_ROOT / "workflow" / "profiles" / "slurm"
START_SCRIPT = REPO_ROOT / "scripts" / "slurm" / "start_local_cluster.sh"

# node states in which jobs can start right away
READY_NODE_STATES = {"idle", "mixed"}
# job states after which sacct no longer changes
FINAL_JOB_STATES = {
    "COMPLETED",
    "FAILED",
    "CANCELLED",
    "TIMEOUT",
    "OUT_OF_MEMORY",
    "NODE_FAIL",
    "PREEMPTED",
    "BOOT_FAIL",
    "DEADLINE",
}
SACCT_FIELDS = ("JobID", "JobName", "Comment", "State", "ExitCode", "ReqTRES", "AllocTRES", "WorkDir")


def snakemake_executable() -> str:
    """The snakemake next to the running interpreter (the project venv), else PATH."""
    cand = Path(sys.executable).parent / "snakemake"
    if cand.exists():
        return str(cand)
    found = shutil.which("snakemake")
    if not found:
        raise FileNotFoundError("snakemake executable not found")
    return found


def _run(cmd: Sequence[str], timeout: float = 20) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None


def cluster_available(timeout: float = 15) -> tuple[bool, str]:
    """(True, description) if sinfo shows an idle/mixed node and sacct answers.

    Otherwise (False, reason) -- meant for ``pytest.skip(reason)``.
    """
    hint = f"start it with: sudo {START_SCRIPT.relative_to(REPO_ROOT)}"
    for tool in ("sinfo", "sacct", "sbatch"):
        if shutil.which(tool) is None:
            return False, f"SLURM not installed ({tool} not on PATH); {hint}"
    res = _run(["sinfo", "-h", "-N", "-o", "%N %T %P"], timeout)
    if res is None or res.returncode != 0:
        err = (res.stderr.strip() if res else "timed out") or "no output"
        return False, f"sinfo does not answer ({err}); {hint}"
    nodes = [ln.split() for ln in res.stdout.splitlines() if ln.strip()]
    ready = [n for n in nodes if len(n) >= 2 and n[1] in READY_NODE_STATES]
    if not ready:
        states = ", ".join(f"{n[0]}={n[1]}" for n in nodes if len(n) >= 2) or "no nodes"
        return False, f"no idle/mixed SLURM node ({states}); {hint}"
    res = _run(["sacct", "-n", "-X", "-S", "now-1minutes"], timeout)
    if res is None or res.returncode != 0:
        err = (res.stderr.strip() if res else "timed out") or "no output"
        return False, (
            f"sacct does not answer ({err}); the snakemake SLURM executor needs accounting (slurmdbd); {hint}"
        )
    return True, f"SLURM ready: {' '.join(ready[0])}"


# ------------------------------------------------------------------ accounting
def parse_gpus(tres: str | None) -> int:
    """GPU count in a TRES string such as ``cpu=1,gres/gpu:a100=1,gres/gpu=1,mem=1G``.

    Also understands scontrol's ``TresPerJob=gres:gpu:a100:1`` / ``gres/gpu:1`` forms.
    """
    if not tres:
        return 0
    m = re.search(r"gres/gpu=(\d+)", tres)
    if m:
        return int(m.group(1))
    typed = re.findall(r"gres/gpu:[^=,]+=(\d+)", tres)
    if typed:
        return sum(int(x) for x in typed)
    m = re.search(r"gres[:/]gpu(?::[A-Za-z0-9_.-]+)?:(\d+)", tres)
    if m:
        return int(m.group(1))
    return 0


def rule_from_comment(comment: str | None) -> str | None:
    """Rule name from the executor's job comment ``rule_<name>[_wildcards_<...>]``."""
    if not comment:
        return None
    m = re.match(r"^rule_(.+?)(?:_wildcards_.*)?$", comment.strip())
    return m.group(1) if m else None


def _same_dir(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    return os.path.realpath(str(a)).rstrip("/") == os.path.realpath(str(b)).rstrip("/")


def _sacct_records(since: str) -> list[dict] | None:
    res = _run(["sacct", "-a", "-X", "-n", "-P", "-S", since, "--format=" + ",".join(SACCT_FIELDS)], timeout=30)
    if res is None or res.returncode != 0:
        return None
    records = []
    for line in res.stdout.splitlines():
        parts = line.split("|")
        if len(parts) != len(SACCT_FIELDS):
            continue
        rec = dict(zip(SACCT_FIELDS, parts))
        rec["source"] = "sacct"
        records.append(rec)
    return records


def _scontrol_records() -> list[dict]:
    """Jobs still known to slurmctld (MinJobAge), shaped like sacct records."""
    res = _run(["scontrol", "show", "job", "-o"], timeout=30)
    if res is None or res.returncode != 0:
        return []
    records = []
    for line in res.stdout.splitlines():
        kv = dict(re.findall(r"(\w+)=(\S*)", line))
        if "JobId" not in kv:
            continue
        req = kv.get("ReqTRES", "")
        if "TresPerJob" in kv:
            req = f"{req},{kv['TresPerJob']}"
        records.append(
            {
                "JobID": kv["JobId"],
                "JobName": kv.get("JobName", ""),
                "Comment": kv.get("Comment", ""),
                "State": kv.get("JobState", ""),
                "ExitCode": kv.get("ExitCode", ""),
                "ReqTRES": req,
                "AllocTRES": kv.get("AllocTRES", ""),
                "WorkDir": kv.get("WorkDir", ""),
                "source": "scontrol",
            }
        )
    return records


def sacct_jobs(
    workdir: str | os.PathLike | None = None, jobname: str | None = None, since: str = "now-12hours"
) -> list[dict]:
    """Job allocations (sacct, falling back to ``scontrol show job``), filtered.

    workdir: keep jobs submitted from this directory (snakemake --directory).
    jobname: keep jobs whose name contains this string (the executor's run UUID,
             or a --slurm-jobname-prefix).
    Each record has the keys in SACCT_FIELDS plus ``rule`` (from the comment) and
    ``req_gpus`` / ``alloc_gpus``.
    """
    records = _sacct_records(since)
    if not records:
        records = _scontrol_records()
    out = []
    for rec in records:
        if workdir is not None and not _same_dir(rec["WorkDir"], workdir):
            continue
        if jobname is not None and jobname not in rec["JobName"]:
            continue
        rec["rule"] = rule_from_comment(rec["Comment"])
        rec["req_gpus"] = parse_gpus(rec["ReqTRES"])
        rec["alloc_gpus"] = parse_gpus(rec["AllocTRES"])
        out.append(rec)
    return out


def job_gpu_requests(
    workdir: str | os.PathLike | None = None, jobname: str | None = None, which: str = "req", since: str = "now-12hours"
) -> dict[str, int]:
    """Map rule name (or job name when no rule comment) -> GPUs requested ("req") or
    allocated ("alloc"); the maximum over jobs when a rule ran several times."""
    if which not in ("req", "alloc"):
        raise ValueError("which must be 'req' or 'alloc'")
    result: dict[str, int] = {}
    for rec in sacct_jobs(workdir=workdir, jobname=jobname, since=since):
        key = rec["rule"] or rec["JobName"] or rec["JobID"]
        result[key] = max(result.get(key, 0), rec[f"{which}_gpus"])
    return result


def wait_for_jobs(
    rules: Iterable[str], workdir: str | os.PathLike | None = None, jobname: str | None = None, timeout: float = 30
) -> list[dict]:
    """Poll until every rule in ``rules`` has a job record in a final state
    (accounting reaches slurmdbd asynchronously). Returns the last records seen."""
    wanted = set(rules)
    deadline = time.monotonic() + timeout
    while True:
        recs = sacct_jobs(workdir=workdir, jobname=jobname)
        done = {r["rule"] for r in recs if (r["State"].split() or [""])[0] in FINAL_JOB_STATES}
        if wanted <= done or time.monotonic() > deadline:
            return recs
        time.sleep(1)


# ------------------------------------------------------------------ running
def run_snakemake_slurm(
    snakefile: str | os.PathLike,
    workdir: str | os.PathLike,
    *extra_args: str,
    profile: str | os.PathLike = SLURM_PROFILE,
    timeout: int = 300,
    kill_after: int = 15,
    init_seconds: int | None = 2,
    keep_logs: bool = True,
    workflow_profile: str | None = None,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run ``snakemake --executor slurm --profile <profile>`` under ``timeout -k``.

    init_seconds: overrides the profile's --slurm-init-seconds-before-status-checks
        (the first poll, and the interval after a poll that saw a job finish);
        2 keeps small test workflows fast. None keeps the profile's value.
    keep_logs: keep per-job SLURM logs (<workdir>/.snakemake/slurm_logs) for debugging.
    workflow_profile: passed as --workflow-profile ("none" disables the implicit
        profiles/default next to the Snakefile).
    Returns the CompletedProcess (stdout+stderr merged in .stdout); rc 124/137 = timeout.
    """
    snakemake = snakemake_executable()
    cmd = [
        "timeout",
        "-k",
        str(kill_after),
        str(timeout),
        snakemake,
        "--snakefile",
        str(snakefile),
        "--directory",
        str(workdir),
        "--profile",
        str(profile),
        "--executor",
        "slurm",
    ]
    if workflow_profile is not None:
        cmd += ["--workflow-profile", str(workflow_profile)]
    if init_seconds is not None:
        cmd += ["--slurm-init-seconds-before-status-checks", str(init_seconds)]
    if keep_logs:
        cmd.append("--slurm-keep-successful-logs")
    cmd += list(extra_args)
    run_env = dict(os.environ if env is None else env)
    # jobs run `python -m snakemake` from the submitting environment (sbatch --export=ALL)
    run_env["PATH"] = f"{Path(snakemake).parent}{os.pathsep}{run_env.get('PATH', '')}"
    return subprocess.run(
        cmd, cwd=str(workdir), env=run_env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def slurm_logs_tail(workdir: str | os.PathLike, lines: int = 30) -> str:
    """Last lines of every per-job SLURM log under <workdir>/.snakemake/slurm_logs."""
    root = Path(workdir) / ".snakemake" / "slurm_logs"
    chunks = []
    for log in sorted(root.rglob("*.log")) if root.is_dir() else []:
        text = log.read_text(errors="replace").splitlines()[-lines:]
        chunks.append(f"--- {log.relative_to(root)}\n" + "\n".join(text))
    return "\n".join(chunks) or f"(no SLURM logs under {root})"
