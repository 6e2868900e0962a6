"""What produced a run's outputs: the command and the code commit, recorded by the workflow
when it starts executing jobs (``results/<run>/provenance.json``), so generated result pages
can say how to reproduce them."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from trackgnn import __version__


def code_commit(source: Path) -> str | None:
    """``git rev-parse HEAD`` of the checkout holding ``source`` (``+dirty`` when tracked
    files differ from it), or ``None`` outside a git checkout."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(source), *args], capture_output=True, text=True, timeout=20, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+dirty" if dirty else "")


def run_record(source: Path, argv: list[str] | None = None) -> dict:
    """The command line (program name shortened), code commit and package version."""
    argv = list(sys.argv if argv is None else argv)
    program = Path(argv[0]).name if argv else "snakemake"
    return {"command": shlex.join([program, *argv[1:]]), "commit": code_commit(source), "trackgnn_version": __version__}
