"""ctypes binding of the compiled extension (``kdknn.cpp``: float32 k-d tree; ``edge_keys.cpp``:
oriented edge keys), built by ``setup.py``.

The extension is optional: :func:`available` says whether it was built. ctypes releases the
GIL during each call; the C++ side runs its own threads.
"""

from __future__ import annotations

import ctypes
import importlib

import numpy as np

_MODULE = "trackgnn.graph_construction.backends._kdknn"
_LIB: ctypes.CDLL | None = None
_MISSING: str | None = None


def _load() -> ctypes.CDLL | None:
    global _LIB, _MISSING
    if _LIB is not None or _MISSING is not None:
        return _LIB
    try:
        lib = ctypes.CDLL(importlib.import_module(_MODULE).__file__)
        _declare(lib)
    except (ImportError, OSError, AttributeError) as exc:  # not built, unloadable, or stale (a symbol missing)
        _MISSING = f"{type(exc).__name__}: {exc}"
        return None
    _LIB = lib
    return lib


def _declare(lib: ctypes.CDLL) -> None:
    """Argument and return types of the C entry points (AttributeError if one is missing)."""
    p, i64, f32, i32 = ctypes.c_void_p, ctypes.c_int64, ctypes.c_float, ctypes.c_int
    lib.tg_kd_build.restype = p
    lib.tg_kd_build.argtypes = [p, i64, i32, i32]
    lib.tg_kd_free.restype = None
    lib.tg_kd_free.argtypes = [p]
    lib.tg_kd_knn.restype = i32
    lib.tg_kd_knn.argtypes = [p, i32, f32, i32, p, p, p]
    lib.tg_kd_count.restype = i32
    lib.tg_kd_count.argtypes = [p, p, i64, f32, i32, p]
    lib.tg_edge_keys.restype = i64
    lib.tg_edge_keys.argtypes = [p, p, i64, p, p, i64, p]


def available() -> bool:
    """Whether the compiled tree was built and loads."""
    return _load() is not None


def missing_reason() -> str:
    """Why :func:`available` is false (the import error), or ``""``."""
    _load()
    return _MISSING or ""


class NativeTree:
    """A k-d tree over ``points`` float32 [N, D] with ``leafsize`` points per leaf.

    Raises:
        ValueError: ``points`` is not [N, D >= 1], or ``leafsize < 1``.
        RuntimeError: the extension is not built, or the tree could not be allocated.
    """

    def __init__(self, points: np.ndarray, leafsize: int):
        lib = _load()
        if lib is None:
            raise RuntimeError(
                f"the compiled k-d tree is not built ({_MISSING}); reinstall trackgnn with a C++ compiler"
            )
        self._lib = lib
        points = np.ascontiguousarray(points, dtype=np.float32)
        if points.ndim != 2 or points.shape[1] < 1 or leafsize < 1:
            raise ValueError(f"k-d tree: points must be [N, D >= 1] and leafsize >= 1; got {points.shape}, {leafsize}")
        n, dim = points.shape
        self.n = n
        self._handle = lib.tg_kd_build(points.ctypes.data, n, dim, int(leafsize))  # copies the points
        if not self._handle:
            raise RuntimeError(f"k-d tree over {n} points: out of memory")

    def knn(self, k: int, radius: float, threads: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each point's (at most) ``k`` nearest other points closer than ``radius``.

        Returns:
            ``(index, dist2, count)``: int64 [N, k] neighbour ids (the first ``count[i]`` slots
            of row ``i`` filled, ``-1`` after), float32 [N, k] squared distances (inf where
            empty), int32 [N] neighbours found (``k``: the cap may have dropped more).
        """
        if int(k) < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        self._check_open()
        index = np.empty((self.n, k), dtype=np.int64)
        dist2 = np.empty((self.n, k), dtype=np.float32)
        count = np.empty(self.n, dtype=np.int32)
        status = self._lib.tg_kd_knn(
            self._handle,
            int(k),
            _squared(radius),
            int(threads),
            index.ctypes.data,
            dist2.ctypes.data,
            count.ctypes.data,
        )
        if status != 0:
            raise RuntimeError(f"k-d tree k-NN over {self.n} points (k = {k}): out of memory")
        return index, dist2, count

    def count_within(self, queries: np.ndarray, radius: float, threads: int) -> np.ndarray:
        """int64 [M]: for each query point (ids into ``points``), the other points closer than ``radius``."""
        self._check_open()
        queries = np.ascontiguousarray(queries, dtype=np.int64)
        out = np.empty(len(queries), dtype=np.int64)
        if len(queries) and (queries.min() < 0 or queries.max() >= self.n):
            raise IndexError(f"query ids must lie in [0, {self.n})")
        status = self._lib.tg_kd_count(
            self._handle, queries.ctypes.data, len(queries), _squared(radius), int(threads), out.ctypes.data
        )
        if status != 0:
            raise RuntimeError(f"k-d tree radius count over {self.n} points: out of memory")
        return out

    def _check_open(self) -> None:
        if not self._handle:
            raise RuntimeError("k-d tree used after close()")

    def close(self) -> None:
        """Free the tree (also done when the object is collected)."""
        if getattr(self, "_handle", None):
            self._lib.tg_kd_free(self._handle)
            self._handle = None

    def __del__(self):
        self.close()


def edge_keys(src: np.ndarray, dst: np.ndarray, module: np.ndarray, rank: np.ndarray) -> np.ndarray | None:
    """Packed oriented keys ``(a << 32) | b`` of the pairs whose ends differ in node and
    ``module``, ``a`` the end of lower ``rank`` (int64 [<= P], in pair order); ``None`` when
    the extension is not built.

    Args:
        src, dst: int64 [P] node ids in ``[0, N)``, N < 2^31.
        module: int64 [N]; rank: int32 [N].
    """
    lib = _load()
    if lib is None:
        return None
    src, dst = np.ascontiguousarray(src, np.int64), np.ascontiguousarray(dst, np.int64)
    module, rank = np.ascontiguousarray(module, np.int64), np.ascontiguousarray(rank, np.int32)
    if src.shape != dst.shape or src.ndim != 1 or module.shape != rank.shape:
        raise ValueError(f"edge_keys: src {src.shape}, dst {dst.shape}, module {module.shape}, rank {rank.shape}")
    keys = np.empty(len(src), dtype=np.int64)
    n = lib.tg_edge_keys(
        src.ctypes.data, dst.ctypes.data, len(src), module.ctypes.data, rank.ctypes.data, len(module), keys.ctypes.data
    )
    if n < 0:
        p = -1 - n
        raise IndexError(f"pair {p} ({src[p]} -> {dst[p]}) names a node outside [0, {len(module)})")
    return keys[:n]


def _squared(radius: float) -> float:
    """The squared radius as float32 (the C++ side compares float32 squared distances)."""
    return float(np.float32(radius) ** 2)
