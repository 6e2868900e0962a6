"""Run the project's Snakefile in a scratch folder and read back what it schedules."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

TINY_CONFIG = REPO / "tests" / "workflow" / "tiny_config.yaml"


def snakemake_bin() -> str:
    candidate = Path(sys.executable).with_name("snakemake")
    return str(candidate) if candidate.exists() else (shutil.which("snakemake") or "snakemake")


def env() -> dict:
    """The environment of a user who calls ``.venv/bin/snakemake`` without activating the venv:
    the running interpreter's folder (which holds the ``trackgnn`` console script) is taken
    off PATH, so the workflow has to find ``trackgnn`` itself, locally and in SLURM jobs."""
    out = dict(os.environ)
    venv_bin = Path(sys.executable).parent.resolve()
    out["PATH"] = os.pathsep.join(
        p for p in out.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != venv_bin
    )
    return out


def write_config(workdir: Path, **overrides) -> Path:
    """The tiny test config with dotted-key overrides (``{"gnn.hidden": 16}``), written to workdir."""
    config = yaml.safe_load(TINY_CONFIG.read_text())
    for dotted, value in overrides.items():
        node = config
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def run(workdir: Path, *args: str, timeout: int = 900, overlays: tuple = ()) -> subprocess.CompletedProcess:
    """Snakemake on ``workdir``'s config, with ``overlays`` (config files) merged over it in order."""
    cmd = [
        snakemake_bin(),
        "-s",
        str(REPO / "Snakefile"),
        "-d",
        str(workdir),
        "--configfile",
        str(workdir / "config.yaml"),
        *map(str, overlays),
        "--cores",
        "2",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env())


def scheduled(workdir: Path, *args: str, overlays: tuple = ()) -> dict[str, int]:
    """``{rule: count}`` of the jobs a dry run would execute (empty when up to date)."""
    result = run(workdir, "-n", *args, overlays=overlays)
    if result.returncode != 0:
        raise AssertionError(f"snakemake -n failed:\n{result.stdout}\n{result.stderr}")
    text = result.stdout + result.stderr
    if "Nothing to be done" in text:
        return {}
    block = text.split("Job stats:", 1)[1]
    counts = {}
    for line in block.splitlines()[3:]:
        match = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not match:
            break
        if match.group(1) == "total":
            break
        counts[match.group(1)] = int(match.group(2))
    return counts


_RESOLVE = """
import json, sys
from pathlib import Path
from snakemake.api import SnakemakeApi
from snakemake.settings.types import ConfigSettings, OutputSettings, ResourceSettings
snakefile, workdir, *configfiles = sys.argv[1:]
with SnakemakeApi(OutputSettings()) as api:
    workflow = api.workflow(resource_settings=ResourceSettings(cores=1), snakefile=Path(snakefile),
                            config_settings=ConfigSettings(configfiles=[Path(c) for c in configfiles]),
                            workdir=Path(workdir))
    workflow.dag()
    sys.stdout.write("RESOLVED" + json.dumps(workflow._workflow.config))
"""


def resolved_config(workdir: Path, overlays: tuple = ()) -> dict:
    """The config a run with ``overlays`` would resolve (parsed by Snakemake, nothing run or written)."""
    import json

    cmd = [
        sys.executable,
        "-c",
        _RESOLVE,
        str(REPO / "Snakefile"),
        str(workdir),
        str(workdir / "config.yaml"),
        *map(str, overlays),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env())
    if result.returncode != 0 or "RESOLVED" not in result.stdout:
        raise AssertionError(f"resolving the config failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.rsplit("RESOLVED", 1)[1])
