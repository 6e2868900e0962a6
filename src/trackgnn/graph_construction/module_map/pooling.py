"""Pooling doublet statistics over the detector's exact symmetries.

A module pair :math:`(a, b)` on rings :math:`A, B` with rotation orders
:math:`n_A, n_B` (:attr:`ModuleGeometry.ring_sym`) is mapped onto itself as a set by the
rotations that are symmetries of both rings: multiples of :math:`2\\pi / g`,
:math:`g = \\gcd(n_A, n_B)`. One such step moves the position of :math:`a` by
:math:`s_A = |A| / g` and that of :math:`b` by :math:`s_B = |B| / g` (``|A|`` the ring size).
The orbit's *canonical* pair is the rotation with :math:`k_a < s_A`:

.. math::
    m = \\lfloor k_a / s_A \\rfloor, \\quad
    k_a' = k_a - m s_A, \\quad k_b' = (k_b - m s_B) \\bmod |B|

Rotation-invariant quantities of every pair of an orbit are pooled under its canonical
pair; :func:`expand` lists the orbit back. Module triples (the triplet map) are pooled the
same way over the rotations common to their three rings (:func:`canonical_tuple`). The z mirror is applied on top by the caller
(quantities times :data:`~trackgnn.graph_construction.module_map.quantities.MIRROR_SIGN`).
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.module_map.geometry import ModuleGeometry


def _steps(geo: ModuleGeometry, mods: tuple[np.ndarray, ...], rotation: bool) -> tuple[list, np.ndarray, list]:
    """Rings of each module, the common rotation order g and the steps |X| / g of each ring."""
    rings = [geo.ring[m] for m in mods]
    g = np.ones(len(mods[0]), np.int64)
    if rotation:
        g = geo.ring_sym[rings[0]]
        for ring in rings[1:]:
            g = np.gcd(g, geo.ring_sym[ring])
    return rings, g, [geo.ring_size[ring] // g for ring in rings]


def canonical_tuple(geo: ModuleGeometry, mods: tuple[np.ndarray, ...], rotation: bool = True) -> tuple[np.ndarray, ...]:
    """Canonical tuple of each module tuple's rotation orbit (pairs, or the triples of the
    triplet map: the rotations are those of all the tuple's rings; the first module sets m).

    Args:
        mods: int64 [P] dense module indices, one array per position in the tuple.
    """
    mods = tuple(np.asarray(m, np.int64) for m in mods)
    if not rotation:
        return mods
    rings, _, steps = _steps(geo, mods, rotation)
    m = geo.position[mods[0]] // steps[0]
    return tuple(
        geo.members[ring, (geo.position[mod] - m * step) % geo.ring_size[ring]]
        for mod, ring, step in zip(mods, rings, steps)
    )


def expand_tuple(
    geo: ModuleGeometry, mods: tuple[np.ndarray, ...], rotation: bool = True
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Every tuple of the rotation orbits of canonical tuples: ``(source, rotated tuples)``."""
    mods = tuple(np.asarray(m, np.int64) for m in mods)
    if not rotation:
        return np.arange(len(mods[0])), mods
    rings, g, steps = _steps(geo, mods, rotation)
    source = np.repeat(np.arange(len(mods[0])), g)
    m = np.arange(int(g.sum())) - np.repeat(np.cumsum(g) - g, g)
    out = tuple(
        geo.members[ring[source], (geo.position[mod][source] + m * step[source]) % geo.ring_size[ring][source]]
        for mod, ring, step in zip(mods, rings, steps)
    )
    return source, out


def canonical(
    geo: ModuleGeometry, a: np.ndarray, b: np.ndarray, rotation: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Canonical pair of each pair's rotation orbit.

    Args:
        a, b: int64 [P] dense module indices.
        rotation: pool over rotations (``False``: every pair is its own canonical pair).

    Returns:
        ``(a', b')`` int64 [P] dense indices.
    """
    return canonical_tuple(geo, (a, b), rotation)


def expand(
    geo: ModuleGeometry, a: np.ndarray, b: np.ndarray, rotation: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of the rotation orbits of canonical pairs.

    Returns:
        ``(source, a', b')``: int64 [Q] index of the canonical pair each row comes from, and
        the rotated pairs (dense module indices).
    """
    source, (a, b) = expand_tuple(geo, (a, b), rotation)
    return source, a, b
