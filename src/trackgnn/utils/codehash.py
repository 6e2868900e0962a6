"""A digest of a stage's source files, used as a Snakemake ``params`` value so that editing
a stage's code reruns that stage (Snakemake does not see modules called from ``shell:``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def code_hash(*parts: str) -> str:
    """sha256 (16 hex digits) over the ``.py`` files of the given package parts.

    Args:
        parts: paths relative to the ``trackgnn`` package, files (``"tracks.py"``) or
            folders (``"simulation"``), in any order.
    """
    digest = hashlib.sha256()
    for part in sorted(parts):
        path = PACKAGE / part
        if not path.exists():
            raise FileNotFoundError(f"code_hash: {path} does not exist")
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(PACKAGE)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
