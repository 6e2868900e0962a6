"""Candidate edges of one event from a module map (vectorised numpy).

Hits are grouped by module and sorted within it by their azimuth relative to the
module's first hit, :math:`\\phi' = \\operatorname{wrap}(\\phi - \\phi_\\text{ref})` (a module
spans well under :math:`\\pi`). For every map pair :math:`(a, b)` and hit :math:`i` on
:math:`a`, the :math:`\\Delta\\phi` range becomes a window of :math:`\\phi'` on :math:`b`,

.. math::
    \\phi'_j \\in [\\Delta\\phi_\\text{lo} - \\delta, \\Delta\\phi_\\text{hi} - \\delta] + 2\\pi k,
    \\quad \\delta = \\operatorname{wrap}(\\phi_{\\text{ref}, b} - \\phi_i),\\ k \\in \\{-1, 0, 1\\}

found by binary search (widened by :data:`WINDOW_SLACK`). The doublets of the windows (formed
block-wise, pairs holding about ``chunk`` inner hits at a time) are then kept when every
quantity, :math:`\\Delta\\phi` included, lies within the pair's bounds. Quantities are
evaluated one at a time in :data:`CUT_ORDER` and the survivors compacted after each cut.
Hits on modules absent from the map cannot get edges: they are counted. With ``triplets``,
the doublets then go through the map's triplet cuts (:mod:`.triplet_cuts`).
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.module_map import native
from trackgnn.graph_construction.module_map.mapfile import ModuleMap
from trackgnn.graph_construction.module_map.quantities import QUANTITIES, hit_coordinates, quantity, wrap_phi
from trackgnn.graph_construction.module_map.triplet_cuts import TripletTable, keep_triplets

#: Order in which the quantities are cut (all are applied; the order only sets the cost).
CUT_ORDER = ("dphi", "z0", "dz", "phi_slope", "deta")
BACKENDS = ("auto", "native", "numpy")
#: Widening of the phi' windows (rad): they only preselect, the exact cuts follow.
WINDOW_SLACK = 1e-7
#: Room per module in the sort key ``module * KEY_STRIDE + phi' + pi`` (phi' + pi in [0, 2 pi)).
KEY_STRIDE = 8.0


class _Gather:
    """Rows ``k`` of ``coords`` [4, N] at ``index``, gathered when first asked for."""

    def __init__(self, coords: np.ndarray, index: np.ndarray):
        self.coords, self.index, self.rows = coords, index, {}

    def __getitem__(self, k: int) -> np.ndarray:
        if k not in self.rows:
            self.rows[k] = self.coords[k][self.index]
        return self.rows[k]


class MapGraphBuilder:
    """Doublets of an event that pass a module map.

    Args:
        mmap: the map.
        margin: fraction of each range added on each side (default: the map's).
        chunk: inner hits expanded at once by the numpy path (memory ~ 100 bytes each, plus
            their doublets).
        backend: ``auto`` (the compiled kernel of :mod:`.native` when built, else numpy),
            ``native`` (error when not built) or ``numpy``; both give the same doublets.
        threads: threads of the compiled kernel (the numpy path uses one).
        triplets: also apply the map's triplet cuts (:mod:`.triplet_cuts`); an error when the
            map has no triplet ranges.
        triplet_margin: fraction of each triplet range added on each side (default: the map's).
    """

    def __init__(
        self,
        mmap: ModuleMap,
        margin: float | None = None,
        chunk: int = 1 << 18,
        backend: str = "auto",
        threads: int = 1,
        triplets: bool = False,
        triplet_margin: float | None = None,
    ):
        if backend not in BACKENDS:
            raise ValueError(f"module map: backend must be one of {BACKENDS}, got {backend!r}")
        if backend == "native" and not native.available():
            raise RuntimeError(
                f"module map: the compiled kernel is not built ({native.missing_reason()}); "
                "reinstall trackgnn with a C++ compiler or use backend 'numpy'"
            )
        self.backend = "native" if backend == "auto" and native.available() else backend
        self.threads = int(threads)
        self.modules = mmap.modules
        self.pa = np.searchsorted(self.modules, mmap.pairs[:, 0])
        self.pb = np.searchsorted(self.modules, mmap.pairs[:, 1])
        lower, upper = mmap.bounds(margin)
        columns = [list(mmap.attrs.get("quantities", QUANTITIES)).index(q) for q in CUT_ORDER]
        # C order, as the compiled kernel reads them (else every event would copy both tables)
        self.lower = np.ascontiguousarray(lower[:, columns])
        self.upper = np.ascontiguousarray(upper[:, columns])
        self.chunk = int(chunk)
        self.triplets = None
        if triplets:
            self.triplets = TripletTable.from_map(mmap, triplet_margin)

    def module_index(self, keys: np.ndarray) -> np.ndarray:
        """int64 [N] index of each module key in the map's modules, -1 if the map never saw it."""
        keys = np.asarray(keys, np.int64)
        if len(self.modules) == 0:
            return np.full(len(keys), -1, np.int64)
        pos = np.clip(np.searchsorted(self.modules, keys), 0, len(self.modules) - 1)
        return np.where(self.modules[pos] == keys, pos, -1)

    def doublets(self, arrays: dict, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
        """Doublets passing the map.

        Args:
            arrays: the event's arrays (``r, phi, z, eta``).
            keys: int64 [N] module key per hit.

        Returns:
            ``(src, dst, stats)``: int64 [E] hit indices (inner module -> outer module) and
            ``n_unseen_hits`` (hits on modules the map does not know), ``n_candidates``,
            ``n_doublets`` (passing the doublet cuts) and, with triplets, ``n_doublet_only``
            (kept on pairs in no triple of the map).
        """
        hm = self.module_index(keys)
        seen = np.flatnonzero(hm >= 0)
        counts = np.bincount(hm[seen], minlength=len(self.modules))
        start = np.cumsum(counts) - counts
        coords = hit_coordinates(arrays)
        by_module = seen[np.argsort(hm[seen], kind="stable")]
        ref = np.zeros(len(self.modules))
        ref[counts > 0] = coords[1][by_module[start[counts > 0]]]  # phi of each module's first hit
        local = wrap_phi(coords[1][seen] - ref[hm[seen]])
        order = seen[np.lexsort((local, hm[seen]))]
        coords = coords[:, order]
        local = wrap_phi(coords[1] - ref[hm[order]])
        stats = {"n_unseen_hits": int(len(hm) - len(seen))}
        if self.backend == "native":
            i, j, pair, stats["n_candidates"] = native.doublets(
                self.pa, self.pb, self.lower, self.upper, start, counts, ref, local, coords, WINDOW_SLACK, self.threads
            )
            return self._triplet_cuts(order, i, j, pair, coords, stats)
        sort_key = hm[order] * KEY_STRIDE + (local + np.pi)
        na, nb = counts[self.pa], counts[self.pb]
        active = np.flatnonzero((na > 0) & (nb > 0))
        block = (np.cumsum(na[active]) - na[active]) // self.chunk  # pairs starting in one chunk go together
        cuts = np.concatenate([[0], np.flatnonzero(np.diff(block)) + 1, [len(active)]]) if len(active) else [0]
        src, dst, pairs, n_cand = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], 0
        for first, last in zip(cuts[:-1], cuts[1:]):
            i, j, pair, n = self._block(active[first:last], start, counts, coords, sort_key, ref)
            src.append(i)
            dst.append(j)
            pairs.append(pair)
            n_cand += n
        stats["n_candidates"] = n_cand
        return self._triplet_cuts(order, np.concatenate(src), np.concatenate(dst), np.concatenate(pairs), coords, stats)

    def _triplet_cuts(self, order, i, j, pair, coords, stats) -> tuple[np.ndarray, np.ndarray, dict]:
        """The doublets (sorted-hit indices) that pass the triplet cuts, when on, as event hit indices."""
        stats["n_doublets"] = len(i)
        if self.triplets is not None:
            keep = keep_triplets(self.triplets, i, j, pair, coords, self.backend, self.threads)
            stats["n_doublet_only"] = int((keep & ~self.triplets.in_triple[pair]).sum())
            i, j = i[keep], j[keep]
        return order[i], order[j], stats

    def _block(
        self,
        pairs: np.ndarray,
        start: np.ndarray,
        counts: np.ndarray,
        coords: np.ndarray,
        sort_key: np.ndarray,
        ref: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Doublets of map ``pairs`` that pass every cut (sorted-hit indices), their map pair and
        the number tried."""
        a, b = self.pa[pairs], self.pb[pairs]
        n_in = counts[a]
        rep = np.repeat(np.arange(len(pairs)), n_in)
        i = start[a][rep] + np.arange(len(rep)) - np.repeat(np.cumsum(n_in) - n_in, n_in)
        pair, mb = pairs[rep], b[rep]
        delta = wrap_phi(ref[mb] - coords[1][i])
        base = mb * KEY_STRIDE
        c = CUT_ORDER.index("dphi")
        lo = self.lower[pair, c] - delta + np.pi - WINDOW_SLACK
        hi = self.upper[pair, c] - delta + np.pi + WINDOW_SLACK
        full = self.upper[pair, c] - self.lower[pair, c] >= 2 * np.pi - 2 * WINDOW_SLACK  # the whole module
        lo, hi = np.where(full, 0.0, lo), np.where(full, KEY_STRIDE, hi)
        ii, jj = [], []
        for shift in (-2 * np.pi, 0.0, 2 * np.pi):
            # only rows whose window reaches past [0, 2 pi) need the shifted copies
            rows = (
                np.flatnonzero(((hi > 2 * np.pi) if shift < 0 else (lo < 0)) & ~full) if shift else np.arange(len(lo))
            )
            w_lo = np.searchsorted(sort_key, base[rows] + np.clip(lo[rows] + shift, 0.0, KEY_STRIDE), side="left")
            w_hi = np.searchsorted(sort_key, base[rows] + np.clip(hi[rows] + shift, 0.0, KEY_STRIDE), side="right")
            n = np.maximum(w_hi - w_lo, 0)
            sel = np.flatnonzero(n)
            n = n[sel]
            ii.append(np.repeat(rows[sel], n))
            jj.append(np.repeat(w_lo[sel] - (np.cumsum(n) - n), n) + np.arange(int(n.sum())))
        r, j = np.concatenate(ii), np.concatenate(jj)
        i, pair = i[r], pair[r]
        n_cand = len(i)
        for c, name in enumerate(CUT_ORDER):
            value = quantity(name, _Gather(coords, i), _Gather(coords, j))
            keep = (value >= self.lower[pair, c]) & (value <= self.upper[pair, c])
            i, j, pair = i[keep], j[keep], pair[keep]
        return i, j, pair, n_cand
