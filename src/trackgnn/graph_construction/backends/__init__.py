"""Neighbour-search backends for radius graphs, selected by name in config (``metric_learning.backend``).

``kdtree`` (scipy, CPU default), ``faiss`` (GPU with faiss-gpu, or CPU), ``torch`` (blocked
brute force, GPU without FAISS). Each lives in its own module and is imported on demand.
"""

from __future__ import annotations

import importlib

from trackgnn.graph_construction.backends.base import Neighbours, NeighbourSearch

_BACKENDS = {
    "kdtree": ("trackgnn.graph_construction.backends.kdtree", "KDTreeSearch"),
    "faiss": ("trackgnn.graph_construction.backends.faiss_index", "FaissSearch"),
    "torch": ("trackgnn.graph_construction.backends.torch_brute", "TorchSearch"),
}
BACKENDS = tuple(_BACKENDS)


def get_backend(name: str, threads: int | None = None, **options) -> NeighbourSearch:
    """An instance of the backend ``name`` (options are passed to its constructor)."""
    if name not in _BACKENDS:
        raise ValueError(f"unknown neighbour-search backend '{name}'; choose one of {list(BACKENDS)}")
    module, cls = _BACKENDS[name]
    try:
        return getattr(importlib.import_module(module), cls)(threads=threads, **options)
    except TypeError as exc:
        raise ValueError(f"backend '{name}': bad option(s) {sorted(options)}: {exc}") from None


__all__ = ["BACKENDS", "NeighbourSearch", "Neighbours", "get_backend"]
