"""``snakemake --lint`` finds nothing to complain about."""

import subprocess

from .workflow_utils import REPO, env, snakemake_bin


def test_workflow_is_lint_clean():
    result = subprocess.run([snakemake_bin(), "--lint"], cwd=REPO, capture_output=True, text=True, timeout=300, env=env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr, result.stdout
