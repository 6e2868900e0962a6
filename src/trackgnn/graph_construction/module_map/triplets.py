"""Triplet (three-module) ranges of the module map: the quantities, the truth triplets of an
event and their accumulation per module triple.

A *triplet* is two doublets sharing their middle hit, :math:`i \\to j \\to k`. Its
quantities compare the two doublets' straight-line and helix parameters, per doublet

.. math::
    s = \\frac{\\Delta\\phi}{\\Delta r}, \\quad c = \\frac{\\Delta z}{\\Delta r}, \\quad
    z_0 = z_\\text{in} - r_\\text{in} c

(each through ``nan_to_num`` as in :mod:`.quantities`), and the triplet's
:data:`TRIPLET_QUANTITIES` are the differences outer doublet minus inner doublet, again
through ``nan_to_num``:

.. math::
    \\delta s = s_{jk} - s_{ij}, \\quad \\delta c = c_{jk} - c_{ij}, \\quad \\delta z_0 = z_{0,jk} - z_{0,ij}.

A particle on a helix from the beam line has :math:`\\delta s \\approx 0` (constant curvature),
:math:`\\delta c = \\delta z_0 = 0` (a straight line in :math:`r`-:math:`z`), so these tie the
two doublets' :math:`z_0` and direction together where the doublet ranges alone cannot. Every
quantity is rotation invariant; the z mirror flips the sign of :math:`\\delta c, \\delta z_0`.

Training triplets: two modulewise truth edges ``(h, i)``, ``(i, j)`` of a particle with
:math:`p_T \\ge` ``pt_min`` (the truth edges out of a hit all belong to its particle).
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.module_map.geometry import ModuleGeometry
from trackgnn.graph_construction.module_map.pooling import canonical_tuple, expand_tuple
from trackgnn.graph_construction.module_map.quantities import hit_coordinates, quantity

#: Names of the triplet quantities, in column order.
TRIPLET_QUANTITIES = ("dslope", "dcot", "dz0")
#: Factor applied to each triplet quantity by the z mirror.
TRIPLET_MIRROR_SIGN = np.array([1.0, -1.0, -1.0])


def edge_terms(coords: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """float64 [E, 3]: ``phi_slope``, ``cot = dz/dr`` and ``z0`` of doublets ``src -> dst``."""
    inner, outer = coords[:, src], coords[:, dst]
    with np.errstate(divide="ignore", invalid="ignore"):
        cot = np.nan_to_num((outer[2] - inner[2]) / (outer[0] - inner[0]), nan=0.0)
    return np.column_stack([quantity("phi_slope", inner, outer), cot, quantity("z0", inner, outer)]).reshape(-1, 3)


def triplet_values(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """float64 [T, 3] :data:`TRIPLET_QUANTITIES` from the :func:`edge_terms` of the two doublets."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.nan_to_num(second - first, nan=0.0)


def join_edges(src: np.ndarray, dst: np.ndarray, n_hits: int) -> tuple[np.ndarray, np.ndarray]:
    """Every ``(e1, e2)`` with ``dst[e1] == src[e2]`` (int64 [T] each): the edge pairs sharing a hit."""
    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    order = np.argsort(src, kind="stable")
    counts = np.bincount(src, minlength=n_hits)
    start = np.cumsum(counts) - counts
    n = counts[dst]
    e1 = np.repeat(np.arange(len(dst)), n)
    offset = np.arange(len(e1)) - np.repeat(np.cumsum(n) - n, n)
    return e1, order[start[dst][e1] + offset]


def event_triplets(arrays: dict, geo: ModuleGeometry, pt_min: float) -> tuple[np.ndarray, ...]:
    """Training triplets of one event: ``(a, b, c, values)``, dense module indices [T] and [T, 3]."""
    from trackgnn.graph_construction.truth import module_key

    edges = np.asarray(arrays["truth_edges"], np.int64).reshape(2, -1)
    edges = edges[:, np.asarray(arrays["pt"])[edges[0]] >= pt_min]
    coords = hit_coordinates(arrays)
    e1, e2 = join_edges(edges[0], edges[1], coords.shape[1])
    terms = edge_terms(coords, edges[0], edges[1])
    dense = geo.index(module_key(arrays))
    return dense[edges[0][e1]], dense[edges[1][e1]], dense[edges[1][e2]], triplet_values(terms[e1], terms[e2])


#: Keys of the triplet ranges: module triples, or the triples of rings they lie on.
GRANULARITIES = ("ring", "module")


class TripletAccumulator:
    """Min / max / count of the triplet quantities per key, updated event by event.

    Args:
        granularity: ``module``: one range per module triple (pooled over the rotations common
            to the three rings, as the pairs); ``ring``: one per triple of rings (volume, layer,
            radius, z and orientation of a set of modules around the beam): every module triple
            on those rings shares it, so a few hundred events cover it.
    """

    def __init__(self, geo: ModuleGeometry, rotation: bool = True, mirror: bool = True, granularity: str = "ring"):
        if granularity not in GRANULARITIES:
            raise ValueError(f"module map: triplet granularity must be one of {GRANULARITIES}, got {granularity!r}")
        self.geo, self.rotation, self.mirror, self.granularity = geo, rotation, mirror, granularity
        q = len(TRIPLET_QUANTITIES)
        self.key = np.zeros(0, np.int64)
        self.lo, self.hi, self.count = np.zeros((0, q)), np.zeros((0, q)), np.zeros(0, np.int64)
        self.n_triplets = 0

    def add(self, a: np.ndarray, b: np.ndarray, c: np.ndarray, values: np.ndarray) -> None:
        """Add triplets ``a -> b -> c`` (dense module indices [T]) with quantities [T, 3]."""
        from trackgnn.graph_construction.module_map.build_map import reduce_ranges

        keys, vals = [self._key((a, b, c))], [values]
        if self.mirror:
            geo = self.geo
            has = (geo.mirror[a] >= 0) & (geo.mirror[b] >= 0) & (geo.mirror[c] >= 0)
            keys.append(self._key((geo.mirror[a[has]], geo.mirror[b[has]], geo.mirror[c[has]])))
            vals.append(values[has] * TRIPLET_MIRROR_SIGN)
        self.key, self.lo, self.hi, self.count = reduce_ranges(
            (self.key, self.lo, self.hi, self.count), np.concatenate(keys), np.concatenate(vals)
        )
        self.n_triplets += len(a)

    def _key(self, mods: tuple[np.ndarray, ...]) -> np.ndarray:
        """int64 key of each triple: of its canonical module triple, or of its rings."""
        if self.granularity == "ring":
            r = len(self.geo.ring_size)
            a, b, c = (self.geo.ring[m] for m in mods)
        else:
            r = len(self.geo.key)
            a, b, c = canonical_tuple(self.geo, mods, self.rotation)
        return (a * r + b) * r + c

    def result(self) -> dict:
        """The triples: ``triples`` int64 [T, 3] module keys (``module``; orbits expanded) or ring
        indices (``ring``; :attr:`ModuleGeometry.ring`), sorted; ``triplet_lo``, ``triplet_hi``
        float64 [T, 3]; ``triplet_count`` int64 [T]."""
        geo = self.geo
        if self.granularity == "ring":
            r = len(geo.ring_size)
            triples = np.column_stack([self.key // (r * r), (self.key // r) % r, self.key % r]).reshape(-1, 3)
            return {"triples": triples, "triplet_lo": self.lo, "triplet_hi": self.hi, "triplet_count": self.count}
        m = len(geo.key)
        canon = (self.key // (m * m), (self.key // m) % m, self.key % m)
        source, (a, b, c) = expand_tuple(geo, canon, self.rotation)
        triples = np.column_stack([geo.key[a], geo.key[b], geo.key[c]]).reshape(-1, 3)
        order = np.lexsort((triples[:, 2], triples[:, 1], triples[:, 0]))
        source = source[order]
        return {
            "triples": triples[order],
            "triplet_lo": self.lo[source],
            "triplet_hi": self.hi[source],
            "triplet_count": self.count[source],
        }
