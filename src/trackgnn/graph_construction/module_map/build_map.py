"""Building a module map from the truth of simulated events.

Every modulewise truth edge (consecutive hits of a particle, inner -> outer by distance
from its vertex; :func:`trackgnn.feature_store.truth_graph.truth_edges`) of a particle with
:math:`p_T \\ge` ``pt_min`` is a training doublet of its module pair. Doublets are pooled
over the symmetries (:mod:`.pooling`; the z mirror adds each doublet, quantities times
:data:`~.quantities.MIRROR_SIGN`, to the mirrored pair), reduced to per-pair min / max as
events arrive, and expanded back to every pair of each orbit at the end.
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.module_map.geometry import ModuleGeometry
from trackgnn.graph_construction.module_map.mapfile import ModuleMap
from trackgnn.graph_construction.module_map.pooling import canonical, expand
from trackgnn.graph_construction.module_map.quantities import (
    MIRROR_SIGN,
    QUANTITIES,
    doublet_quantities,
    hit_coordinates,
)
from trackgnn.graph_construction.truth import module_key


def event_doublets(arrays: dict, geo: ModuleGeometry, pt_min: float, where: str = "event") -> tuple[np.ndarray, ...]:
    """Training doublets of one event.

    Args:
        arrays: feature-store arrays with truth (``truth_edges``, ``pt``, ``r, phi, z, eta``, module ids).
        pt_min: keep edges of particles with pT >= pt_min (GeV).

    Returns:
        ``(a, b, values)``: int64 [D] dense inner / outer module indices, float64 [D, Q].
    """
    if "truth_edges" not in arrays:
        raise ValueError(f"{where}: no truth_edges; the module map needs events with truth")
    edges = np.asarray(arrays["truth_edges"], np.int64).reshape(2, -1)
    edges = edges[:, np.asarray(arrays["pt"])[edges[0]] >= pt_min]
    dense = geo.index(module_key(arrays), where)
    coords = hit_coordinates(arrays)
    return dense[edges[0]], dense[edges[1]], doublet_quantities(coords[:, edges[0]], coords[:, edges[1]])


def reduce_ranges(state: tuple, keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Merge items ``keys`` [D] with ``values`` [D, Q] into ``state = (key, lo, hi, count)``
    (sorted unique keys and their min / max / count): the new state."""
    key = np.concatenate([state[0], keys])
    lo = np.concatenate([state[1], values])
    hi = np.concatenate([state[2], values])
    count = np.concatenate([state[3], np.ones(len(keys), np.int64)])
    if not len(key):
        return key, lo, hi, count
    order = np.argsort(key, kind="stable")
    key, lo, hi, count = key[order], lo[order], hi[order], count[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return (
        key[starts],
        np.minimum.reduceat(lo, starts),
        np.maximum.reduceat(hi, starts),
        np.add.reduceat(count, starts),
    )


class MapAccumulator:
    """Per-canonical-pair min / max / count, updated event by event.

    Args:
        geo: the detector's modules and symmetries.
        rotation, mirror: pool over rotations / the z mirror.
    """

    def __init__(self, geo: ModuleGeometry, rotation: bool = True, mirror: bool = True):
        self.geo, self.rotation, self.mirror = geo, rotation, mirror
        q = len(QUANTITIES)
        self.key = np.zeros(0, np.int64)
        self.lo, self.hi = np.zeros((0, q)), np.zeros((0, q))
        self.count = np.zeros(0, np.int64)
        self.n_events = self.n_doublets = 0

    def add(self, a: np.ndarray, b: np.ndarray, values: np.ndarray) -> None:
        """Add doublets ``a -> b`` (dense module indices [D]) with quantities [D, Q]."""
        geo, m = self.geo, len(self.geo.key)
        ca, cb = canonical(geo, a, b, self.rotation)
        keys, vals = [ca * m + cb], [values]
        if self.mirror:
            has = (geo.mirror[a] >= 0) & (geo.mirror[b] >= 0)
            ma, mb = canonical(geo, geo.mirror[a[has]], geo.mirror[b[has]], self.rotation)
            keys.append(ma * m + mb)
            vals.append(values[has] * MIRROR_SIGN)
        self.key, self.lo, self.hi, self.count = reduce_ranges(
            (self.key, self.lo, self.hi, self.count), np.concatenate(keys), np.concatenate(vals)
        )
        self.n_doublets += len(a)

    def result(self, attrs: dict | None = None) -> ModuleMap:
        """The expanded map (module keys, raw ranges) with ``attrs`` plus the pooling metadata."""
        geo, m = self.geo, len(self.geo.key)
        source, a, b = expand(geo, self.key // m, self.key % m, self.rotation)
        pairs = np.column_stack([geo.key[a], geo.key[b]]) if len(a) else np.zeros((0, 2), np.int64)
        order = np.lexsort((pairs[:, 1], pairs[:, 0]))
        source = source[order]
        meta = {
            "quantities": list(QUANTITIES),
            "geometry_digest": geo.digest,
            "rotation": self.rotation,
            "mirror": self.mirror,
            "n_events": self.n_events,
            "n_doublets": self.n_doublets,
            "n_canonical": int(len(self.key)),
            "n_modules": int(len(np.unique(pairs))),
            "n_geometry_modules": int(len(geo.key)),
            **(attrs or {}),
        }
        return ModuleMap(
            pairs=pairs[order],
            lo=self.lo[source],
            hi=self.hi[source],
            count=self.count[source],
            attrs=meta,
            geometry_key=geo.key,
            geometry_centre=geo.centre,
            geometry_ring=geo.ring,
        )
