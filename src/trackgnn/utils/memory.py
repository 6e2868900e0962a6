"""Keep freed heap memory in the process for reuse (glibc malloc).

By default glibc serves each allocation above a threshold (at most 32 MB) with a fresh
``mmap`` and returns it to the kernel on ``free``; smaller ones come from a heap that is
trimmed whenever its free top exceeds a threshold. Torch and NumPy allocate and free
arrays of tens of MB per layer on a full-size event, so every layer pays page faults on
memory it just had: on 2 CPU cores that was about a quarter of the GNN's inference time.
Turning ``mmap`` off for allocations and never trimming keeps freed pages mapped, so they
are reused without faults. The peak resident memory is unchanged; it is simply not given
back before the process ends, which suits the short-lived stage commands.

NumPy also asks the kernel for transparent huge pages on every array of 4 MB or more
(``madvise``). Where the kernel then compacts memory on the first touch (``defrag: madvise``,
as on the machines this project runs on), that first touch is slow: the first event of a
graph-building job took 0.60 s instead of 0.40 (later events 0.33 either way, their memory
being reused). :func:`keep_freed_memory` turns that advice off as well.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1  # mallopt parameters from glibc's <malloc.h>
_M_MMAP_MAX = -4


def keep_freed_memory() -> bool:
    """Configure glibc malloc as described above and turn NumPy's huge-page advice off; returns
    False (and leaves malloc as it is) where the C library is not glibc."""
    _no_numpy_huge_pages()
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 - present only in glibc
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = mallopt(_M_MMAP_MAX, 0) == 1 and mallopt(_M_TRIM_THRESHOLD, 2**31 - 1) == 1
    if not done:
        log.debug("mallopt refused; allocator left at its defaults")
    return done


def _no_numpy_huge_pages() -> None:
    """NumPy's huge-page advice off (a private switch, hence the guarded lookup: where it is
    missing, nothing changes)."""
    import numpy as np

    core = getattr(np, "_core", None) or getattr(np, "core", None)
    switch = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if switch is not None:
        switch(False)
