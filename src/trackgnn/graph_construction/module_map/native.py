"""ctypes binding of the optional compiled doublet kernel (``doublets.cpp``, extension
``trackgnn.graph_construction.module_map._doublets`` built by ``setup.py``).

:func:`available` says whether it was built; :func:`doublets` returns ``None`` when it was
not, and the caller falls back to numpy (the tests check both give the same edges).
"""

from __future__ import annotations

import ctypes
import importlib

import numpy as np

_MODULE = "trackgnn.graph_construction.module_map._doublets"
_LIB: ctypes.CDLL | None = None
_MISSING: str | None = None


def _load() -> ctypes.CDLL | None:
    global _LIB, _MISSING
    if _LIB is not None or _MISSING is not None:
        return _LIB
    try:
        lib = ctypes.CDLL(importlib.import_module(_MODULE).__file__)
        p, i64, f64 = ctypes.c_void_p, ctypes.c_int64, ctypes.c_double
        lib.tg_mm_doublets.restype = p
        lib.tg_mm_doublets.argtypes = [i64, p, p, p, p, p, p, p, p, p, p, p, p, f64, ctypes.c_int]
        lib.tg_mm_size.restype = i64
        lib.tg_mm_size.argtypes = [p]
        lib.tg_mm_candidates.restype = i64
        lib.tg_mm_candidates.argtypes = [p]
        lib.tg_mm_copy.restype = None
        lib.tg_mm_copy.argtypes = [p, p, p, p]
        lib.tg_mm_free.restype = None
        lib.tg_mm_free.argtypes = [p]
        lib.tg_mm_triplets.restype = ctypes.c_int
        lib.tg_mm_triplets.argtypes = [i64, p, p, p, i64, p, p, p, p, p, p, p, p, p, ctypes.c_int, p]
    except (ImportError, OSError, AttributeError) as exc:  # not built, unloadable, or stale
        _MISSING = f"{type(exc).__name__}: {exc}"
        return None
    _LIB = lib
    return lib


def available() -> bool:
    """Whether the compiled kernel was built and loads."""
    return _load() is not None


def missing_reason() -> str:
    """Why :func:`available` is false, or ``""``."""
    _load()
    return _MISSING or ""


def doublets(
    pa: np.ndarray,
    pb: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    start: np.ndarray,
    count: np.ndarray,
    ref: np.ndarray,
    local: np.ndarray,
    coords: np.ndarray,
    slack: float,
    threads: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """Doublets passing the map, or ``None`` when the kernel is not built.

    Args:
        pa, pb: int64 [P] module indices of the pairs; lower, upper: float64 [P, 5] bounds in
            :data:`~.graph.CUT_ORDER`.
        start, count: int64 [M] hit range of each module; ref: float64 [M] reference phi.
        local: float64 [H] phi' of the hits (sorted within each module); coords: float64 [4, H].
        threads: C++ threads (pairs split into ranges of equal work; same output for any count).

    Returns:
        ``(i, j, pair, n_candidates)``: int64 [E] hit indices (into the sorted hits), the
        map pair of each doublet and the number of doublets tried.
    """
    lib = _load()
    if lib is None:
        return None
    c = lambda a, t: np.ascontiguousarray(a, dtype=t)  # noqa: E731
    pa, pb, start, count = c(pa, np.int64), c(pb, np.int64), c(start, np.int64), c(count, np.int64)
    lower, upper, ref, local = c(lower, np.float64), c(upper, np.float64), c(ref, np.float64), c(local, np.float64)
    rows = [c(coords[k], np.float64) for k in range(4)]
    if lower.shape != (len(pa), 5) or upper.shape != lower.shape or len(pb) != len(pa):
        raise ValueError(f"module-map kernel: pairs {pa.shape}/{pb.shape}, bounds {lower.shape}/{upper.shape}")
    if len(pa) and (max(pa.max(), pb.max()) >= len(count) or min(pa.min(), pb.min()) < 0):
        raise IndexError(f"module-map kernel: pair modules outside [0, {len(count)})")
    if len(count) and (start + count).max(initial=0) > len(local):
        raise IndexError(f"module-map kernel: module hit ranges exceed the {len(local)} hits")
    handle = lib.tg_mm_doublets(
        len(pa),
        pa.ctypes.data,
        pb.ctypes.data,
        lower.ctypes.data,
        upper.ctypes.data,
        start.ctypes.data,
        count.ctypes.data,
        ref.ctypes.data,
        local.ctypes.data,
        *(row.ctypes.data for row in rows),
        float(slack),
        max(int(threads), 1),
    )
    if not handle:
        raise MemoryError("module-map kernel: out of memory")
    try:
        n = lib.tg_mm_size(handle)
        i, j, pair = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
        lib.tg_mm_copy(handle, i.ctypes.data, j.ctypes.data, pair.ctypes.data)
        return i, j, pair, int(lib.tg_mm_candidates(handle))
    finally:
        lib.tg_mm_free(handle)


def triplets(table, src: np.ndarray, dst: np.ndarray, pair: np.ndarray, coords: np.ndarray, threads: int = 1):
    """bool [E]: doublets kept by the triplet cuts of ``table`` (a :class:`~.triplet_cuts.TripletTable`),
    compiled twin of :func:`~.triplet_cuts.keep_triplets`; ``pair``: the *unit* of each doublet
    (``table.pair_unit`` of its map pair). ``None`` when the kernel is not built."""
    lib = _load()
    if lib is None:
        return None
    c = lambda a, t: np.ascontiguousarray(a, dtype=t)  # noqa: E731
    src, dst, pair = c(src, np.int64), c(dst, np.int64), c(pair, np.int64)
    rows = [c(coords[k], np.float64) for k in range(3)]
    n_hits, n_pairs = len(rows[0]), len(table.count)
    if not (len(src) == len(dst) == len(pair)):
        raise ValueError(f"module-map triplets: src {src.shape}, dst {dst.shape}, pair {pair.shape}")
    if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n_hits):
        raise IndexError(f"module-map triplets: hit indices outside [0, {n_hits})")
    if len(pair) and (pair.min() < 0 or pair.max() >= n_pairs):
        raise IndexError(f"module-map triplets: pair indices outside [0, {n_pairs})")
    in_triple = c(table.count > 0, np.uint8)  # per unit: in a triple as its first doublet ...
    in_triple[table.second] = 1  # ... or as its second
    start, count, second = c(table.start, np.int64), c(table.count, np.int64), c(table.second, np.int64)
    lower, upper = c(table.lower, np.float64), c(table.upper, np.float64)
    keep = np.zeros(len(src), np.uint8)
    status = lib.tg_mm_triplets(
        len(src),
        src.ctypes.data,
        dst.ctypes.data,
        pair.ctypes.data,
        n_hits,
        *(row.ctypes.data for row in rows),
        start.ctypes.data,
        count.ctypes.data,
        in_triple.ctypes.data,
        second.ctypes.data,
        lower.ctypes.data,
        upper.ctypes.data,
        max(int(threads), 1),
        keep.ctypes.data,
    )
    if status == -2:
        raise ValueError(f"module-map triplet kernel: {len(src)} doublets or {n_pairs} units exceed 32-bit indices")
    if status != 0:
        raise MemoryError("module-map triplet kernel: out of memory")
    return keep.astype(bool)
