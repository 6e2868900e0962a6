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
pair; :func:`expand` lists the orbit back. The z mirror is applied on top by the caller
(quantities times :data:`~trackgnn.graph_construction.module_map.quantities.MIRROR_SIGN`).
"""

from __future__ import annotations

import numpy as np

from trackgnn.graph_construction.module_map.geometry import ModuleGeometry


def _steps(geo: ModuleGeometry, a: np.ndarray, b: np.ndarray, rotation: bool) -> tuple[np.ndarray, ...]:
    ra, rb = geo.ring[a], geo.ring[b]
    g = np.gcd(geo.ring_sym[ra], geo.ring_sym[rb]) if rotation else np.ones(len(a), np.int64)
    return ra, rb, g, geo.ring_size[ra] // g, geo.ring_size[rb] // g


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
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    if not rotation:
        return a, b
    ra, rb, _, sa, sb = _steps(geo, a, b, rotation)
    ka, kb = geo.position[a], geo.position[b]
    m = ka // sa
    return geo.members[ra, ka - m * sa], geo.members[rb, (kb - m * sb) % geo.ring_size[rb]]


def expand(
    geo: ModuleGeometry, a: np.ndarray, b: np.ndarray, rotation: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of the rotation orbits of canonical pairs.

    Returns:
        ``(source, a', b')``: int64 [Q] index of the canonical pair each row comes from, and
        the rotated pairs (dense module indices).
    """
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    if not rotation:
        return np.arange(len(a)), a, b
    ra, rb, g, sa, sb = _steps(geo, a, b, rotation)
    source = np.repeat(np.arange(len(a)), g)
    m = np.arange(int(g.sum())) - np.repeat(np.cumsum(g) - g, g)
    ka = (geo.position[a][source] + m * sa[source]) % geo.ring_size[ra][source]
    kb = (geo.position[b][source] + m * sb[source]) % geo.ring_size[rb][source]
    return source, geo.members[ra[source], ka], geo.members[rb[source], kb]
