"""The Python sources pass ``ruff check`` with the rules of pyproject.toml ``[tool.ruff]``
(``make lint`` runs the same command, the pre-commit hook too)."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PATHS = ("src", "tests", "bench", "scripts")


def ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert found, "ruff is not installed (pinned in envs/requirements.txt; make install)"
    return found


def test_ruff_check_finds_nothing():
    result = subprocess.run(
        [ruff(), "check", "--output-format", "concise", *PATHS], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, "ruff check (fix with `ruff check --fix`):\n" + result.stdout[-6000:] + result.stderr


def test_ruff_reports_a_finding(tmp_path):
    """The check can fail: an unused import in a file under the project's settings is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")
    result = subprocess.run(
        [ruff(), "check", "--config", str(REPO / "pyproject.toml"), "--output-format", "concise", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "F401" in result.stdout, result.stdout + result.stderr


def test_ruff_format_would_change_nothing():
    result = subprocess.run(
        [ruff(), "format", "--check", *PATHS], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (
        "run `ruff format src tests bench scripts`:\n" + result.stdout[-4000:] + result.stderr
    )
