"""``snakemake --lint`` finds nothing to complain about; snakefmt would change nothing."""

import os
import shutil
import subprocess

from .workflow_utils import REPO, env, snakemake_bin


def test_workflow_is_lint_clean():
    result = subprocess.run(
        [snakemake_bin(), "--lint"], cwd=REPO, capture_output=True, text=True, timeout=300, env=env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr, result.stdout


def test_workflow_is_snakefmt_formatted():
    snakefmt = shutil.which("snakefmt", path=os.path.dirname(snakemake_bin()))
    assert snakefmt, "snakefmt is not installed next to snakemake (make install)"
    files = ["Snakefile", *sorted(str(p.relative_to(REPO)) for p in (REPO / "workflow").rglob("*.smk"))]
    result = subprocess.run(
        [snakefmt, "--check", "--diff", *files], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, "run `snakefmt Snakefile workflow/`:\n" + result.stdout + result.stderr
