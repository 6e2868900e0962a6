"""Argument helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def event_id_list(text: str) -> list[int]:
    """Parse ``"1,2,5-7"`` into ``[1, 2, 5, 6, 7]``."""
    ids: list[int] = []
    try:
        for part in filter(None, (p.strip() for p in text.split(","))):
            if "-" in part:
                low, high = (int(v) for v in part.split("-", 1))
                ids.extend(range(low, high + 1))
            else:
                ids.append(int(part))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected event ids like '1,2,5-7', got {text!r}") from None
    return ids


def add_config_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--config",
        required=required,
        help="run config YAML (validated against workflow/schemas/config.schema.yaml; defaults filled)",
    )


@contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """Build a folder under a temporary name and rename it into place only when complete.

    An existing folder at ``path`` is replaced; on failure it is left as it was and the
    partial folder is removed.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent))
    try:
        yield tmp
        if final.exists():
            old = final.with_name(f".{final.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
