"""Atomic file output: write to a temporary sibling, then rename.

A reader (or Snakemake after a killed job) never sees a half-written file: either the
old content or the complete new content is at the final path. Temporary names carry the
host and process id of their writer, so the temporaries a killed writer left behind are
recognised and removed by the next write to the same path (never those of a live writer).
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _tag() -> str:
    return f"{socket.gethostname().replace('.', '_')}-{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def remove_stale_temporaries(final: Path) -> list[Path]:
    """Remove the temporaries of ``final`` whose writer (this host, a dead process) is gone."""
    host = socket.gethostname().replace(".", "_")
    removed = []
    for path in final.parent.glob(f".{final.name}.{host}-*"):
        pid_text = path.name[len(f".{final.name}.{host}-") :].split(".", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            with contextlib.suppress(OSError):
                if path.is_dir():
                    import shutil

                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
    return removed


def temporary_name(final: Path) -> str:
    """The prefix of a temporary sibling of ``final`` (host and pid of this writer)."""
    return f".{final.name}.{_tag()}."


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched.
    The suffix of ``path`` is kept so that writers that infer the format from it
    (``.csv.gz`` compression, ``.h5``) behave the same.

    Raises:
        IsADirectoryError: ``path`` is an existing folder (a file path was expected).
    """
    final = Path(path)
    if final.is_dir():
        raise IsADirectoryError(f"{final}: is a folder; expected the path of a file to write")
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(final)
    suffix = "".join(final.suffixes)
    fd, tmp = tempfile.mkstemp(prefix=temporary_name(final), suffix=f".tmp{suffix}", dir=final.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600 files; give the result the usual umask-based permissions
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, final)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)
