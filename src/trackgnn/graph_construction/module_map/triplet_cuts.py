"""Triplet cuts on an event's doublets (numpy; the compiled twin is ``triplets.cpp``).

A doublet ``e1 = (i, j)`` on map pair :math:`p = (a, b)` is kept when it belongs to at least
one triplet passing the map: a doublet ``e2 = (j, k)`` (or ``(h, i)``) on pair :math:`q`
such that the triple (``p`` then ``q``: modules, or the rings they lie on, as the map's
``triplet_granularity``) is in the map and every
:data:`~.triplets.TRIPLET_QUANTITIES` lies within the triple's bounds. Doublets on a pair
that is part of no triple of the map (seen in training only in particles without a third
hit there) keep their doublet-level decision: they are counted as ``n_doublet_only``.
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.module_map import native
from trackgnn.graph_construction.module_map.mapfile import ModuleMap, ModuleMapError
from trackgnn.graph_construction.module_map.triplets import edge_terms, join_edges, triplet_values


class TripletTable:
    """A map's triples as pairs of *units* (map pairs, or the ring pairs they lie on), in the
    form both kernels read.

    Args:
        unit_keys: int64 [U, 2] the units' keys (module keys, or ring indices), sorted, unique.
        triples: int64 [T, 3] keys of the triples in the same numbering; lower, upper:
            float64 [T, 3] bounds.
        pair_unit: int64 [P] unit of each map pair (default: the pairs are the units).

    Attributes:
        first, second: int64 [T] unit of ``(a, b)`` and ``(b, c)``, sorted by (first, second).
        start, count: int64 [U] range of each unit's triples (as ``first``).
        pair_unit: int64 [P]; in_triple: bool [P] the pair's unit is in a triple.
    """

    def __init__(self, unit_keys, triples, lower, upper, pair_unit: np.ndarray | None = None):
        n = len(unit_keys)
        keys = np.unique(unit_keys)
        m = max(len(keys), 1)
        dense = lambda k: np.searchsorted(keys, k)  # noqa: E731
        code = dense(unit_keys[:, 0]) * m + dense(unit_keys[:, 1])  # sorted, as the units
        known = np.isin(triples, keys).all(axis=1) if len(triples) else np.zeros(0, bool)
        first = np.searchsorted(code, dense(triples[:, 0]) * m + dense(triples[:, 1]))
        second = np.searchsorted(code, dense(triples[:, 1]) * m + dense(triples[:, 2]))
        ok = known & (first < n) & (second < n)
        ok[ok] &= (unit_keys[first[ok]] == triples[ok][:, :2]).all(axis=1)
        ok[ok] &= (unit_keys[second[ok]] == triples[ok][:, 1:]).all(axis=1)
        if not ok.all():
            raise ValueError(f"module map: {int((~ok).sum())} triple(s) whose doublets are not pairs of the map")
        order = np.lexsort((second, first))
        self.first, self.second = first[order], second[order]
        self.lower = np.ascontiguousarray(lower[order], np.float64)
        self.upper = np.ascontiguousarray(upper[order], np.float64)
        self.count = np.bincount(self.first, minlength=n).astype(np.int64)
        self.start = np.cumsum(self.count) - self.count
        unit_in = np.zeros(n, bool)
        unit_in[self.first] = unit_in[self.second] = True
        self.pair_unit = np.arange(n) if pair_unit is None else np.asarray(pair_unit, np.int64)
        self.in_triple = unit_in[self.pair_unit]

    @classmethod
    def from_map(cls, mmap: ModuleMap, margin: float | None = None) -> TripletTable:
        """The table of a map with triplet ranges (``margin``: default the map's ``triplet_margin``)."""
        lower, upper = mmap.triplet_bounds(margin)
        if mmap.attrs.get("triplet_granularity", "module") == "module":
            return cls(mmap.pairs, mmap.triples, lower, upper)
        if mmap.geometry_ring is None:
            raise ModuleMapError(f"{mmap.attrs.get('path', 'module map')}: ring triplets but no geometry_ring dataset")
        pos = np.clip(np.searchsorted(mmap.geometry_key, mmap.pairs), 0, max(len(mmap.geometry_key) - 1, 0))
        rings = mmap.geometry_ring[pos].reshape(-1, 2)
        if len(rings) and (np.any(mmap.geometry_key[pos] != mmap.pairs) or rings.min() < 0):
            raise ModuleMapError(f"{mmap.attrs.get('path', 'module map')}: pairs on modules without a ring")
        units, pair_unit = np.unique(rings, axis=0, return_inverse=True)
        return cls(units.reshape(-1, 2), mmap.triples, lower, upper, pair_unit.ravel())


def keep_triplets(
    table: TripletTable,
    src: np.ndarray,
    dst: np.ndarray,
    pair: np.ndarray,
    coords: np.ndarray,
    backend: str = "numpy",
    threads: int = 1,
    chunk: int = 1 << 22,
) -> np.ndarray:
    """bool [E]: the doublets ``src -> dst`` (on map pairs ``pair``) that the triplet cuts keep.

    Args:
        coords: float64 [4, N] ``r, phi, z, eta`` of the hits ``src`` / ``dst`` index.
        backend: ``native`` (compiled, ``threads`` threads) or ``numpy``; the same result.
        chunk: edge pairs formed at once by the numpy path.
    """
    unit = table.pair_unit[pair]
    if backend == "native":
        return native.triplets(table, src, dst, unit, coords, threads)
    keep = ~table.in_triple[pair]
    e1, e2 = join_edges(src, dst, coords.shape[1])
    terms = edge_terms(coords, src, dst)
    n_units = len(table.count)
    code = table.first * n_units + table.second
    for s in range(0, len(e1), chunk):
        a, b = e1[s : s + chunk], e2[s : s + chunk]
        want = unit[a] * n_units + unit[b]
        pos = np.clip(np.searchsorted(code, want), 0, max(len(code) - 1, 0))
        hit = code[pos] == want if len(code) else np.zeros(len(a), bool)
        a, b, pos = a[hit], b[hit], pos[hit]
        values = triplet_values(terms[a], terms[b])
        ok = np.all((values >= table.lower[pos]) & (values <= table.upper[pos]), axis=1)
        keep[a[ok]] = True
        keep[b[ok]] = True
    return keep
