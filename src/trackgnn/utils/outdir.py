"""Output folders that are built aside and swapped in, and never destroy what trackgnn did
not write.

``trackgnn simulate`` and ``trackgnn link-events`` write a whole folder. A folder is replaced
only when it is missing, empty, or carries the marker file that trackgnn leaves in every
folder it writes; a folder that is (or holds, or lies inside) one of the command's inputs is
refused, so ``--out`` pointing at the data being read can never delete it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from trackgnn.utils.atomic import remove_stale_temporaries, temporary_name

MARKER = ".trackgnn-output"


class OutputFolderError(ValueError):
    """``--out`` would overwrite or delete something trackgnn did not create."""


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def check_output_folder(out: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an output folder that overlaps an input or holds files trackgnn did not write.

    Returns:
        the resolved output path.
    """
    final = Path(out)
    resolved = final.resolve()
    for item in inputs:
        if item is None:
            continue
        source = Path(item).resolve()
        if _overlaps(resolved, source):
            raise OutputFolderError(
                f"--out {final} overlaps the input {item}: writing it would replace or delete the "
                "input; choose an output folder outside the inputs"
            )
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise OutputFolderError(f"--out {final} exists and is not a folder; nothing was written")
    if final.is_dir() and any(final.iterdir()) and not (final / MARKER).exists():
        raise OutputFolderError(
            f"--out {final} exists and holds files that trackgnn did not write (no {MARKER} "
            "marker): remove it yourself or choose another folder; nothing was written"
        )
    return resolved


@contextmanager
def atomic_directory(path: str | Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Build a folder under a temporary name and swap it into place only when complete.

    A previous output at ``path`` (marked as trackgnn's) is replaced; on failure it is left
    as it was and the partial folder is removed. See :func:`check_output_folder` for what
    is refused.
    """
    final = Path(path)
    check_output_folder(final, inputs)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(final)
    tmp = Path(tempfile.mkdtemp(prefix=temporary_name(final), suffix=".tmp", dir=final.parent))
    try:
        yield tmp
        (tmp / MARKER).write_text("written by trackgnn; the folder may be replaced by a rerun\n")
        os.chmod(tmp, 0o777 & ~_umask())
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=temporary_name(final), suffix=".old", dir=final.parent))
            os.rename(final, old / final.name)
            os.rename(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
