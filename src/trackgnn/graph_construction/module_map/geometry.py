"""Module geometry for the module map: a digest of the detector and its exact symmetries.

Modules of one layer sit on *rings*: modules with equal radius :math:`r_c`, equal
:math:`z_c` of their centre and equal orientation in the co-rotating frame
(:math:`\\hat e_r, \\hat e_\\phi, \\hat e_z` at the centre's azimuth). A ring of :math:`n`
modules whose centres are equally spaced in :math:`\\phi` is mapped onto itself by the
rotations :math:`2\\pi m / n`; the module at position :math:`k` (in :math:`\\phi` order)
goes to position :math:`(k + m) \\bmod n`. A ring that is not equally spaced gets
:math:`n_\\text{sym} = 1` (no rotation).

The z mirror :math:`z \\to -z` maps a module onto the module whose centre is
:math:`(c_x, c_y, -c_z)`, when one exists (``mirror = -1`` otherwise; in the TrackML
detector the pixel barrel has no mirror images: its rings alternate in radius).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trackgnn.feature_store.truth_graph import group_key

#: Rounding (mm, and unit-vector components) used to recognise equal positions/orientations.
POSITION_DECIMALS = 2
AXIS_DECIMALS = 3
#: Largest deviation (rad) of a ring's spacing from 2 pi / n for it to count as symmetric.
SPACING_TOLERANCE = 1e-4


def geometry_digest(detectors: pd.DataFrame) -> str:
    """sha256 (16 hex digits) of the module keys and centres (rounded to 1 micron), in key order."""
    table = detectors[["volume_id", "layer_id", "module_id", "cx", "cy", "cz"]].copy()
    table = table.sort_values(["volume_id", "layer_id", "module_id"])
    keys = table[["volume_id", "layer_id", "module_id"]].to_numpy(np.int64)
    centres = np.round(table[["cx", "cy", "cz"]].to_numpy(np.float64), 3)
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(keys).tobytes())
    digest.update(np.ascontiguousarray(centres + 0.0).tobytes())  # + 0.0: no negative zeros
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ModuleGeometry:
    """Modules in a dense order (sorted ``key``) with their ring and symmetry images.

    Attributes:
        key: int64 [M] module keys (:func:`trackgnn.feature_store.truth_graph.group_key`), sorted.
        ring: int64 [M] ring of each module.
        position: int64 [M] index of the module in its ring, in :math:`\\phi` order.
        ring_size: int64 [R] modules per ring.
        ring_sym: int64 [R] order of the ring's rotation group (``ring_size`` or 1).
        members: int64 [R, max size] dense module index at (ring, position), -1 padded.
        mirror: int64 [M] dense index of the z-mirror image, -1 if none.
        digest: :func:`geometry_digest` of the table.
        centre: float64 [M, 3] module centres (mm).
    """

    key: np.ndarray
    ring: np.ndarray
    position: np.ndarray
    ring_size: np.ndarray
    ring_sym: np.ndarray
    members: np.ndarray
    mirror: np.ndarray
    digest: str
    centre: np.ndarray

    def index(self, keys: np.ndarray, where: str = "modules") -> np.ndarray:
        """Dense indices of module ``keys``; a key absent from the geometry is a ``ValueError``."""
        keys = np.asarray(keys, np.int64)
        pos = np.clip(np.searchsorted(self.key, keys), 0, len(self.key) - 1)
        bad = self.key[pos] != keys
        if bad.any():
            raise ValueError(
                f"{where}: {int(bad.sum())} module key(s) not in the detector geometry, "
                f"e.g. {int(keys[bad][0])} (volume*1e9 + layer*1e6 + module)"
            )
        return pos


def module_geometry(detectors: pd.DataFrame) -> ModuleGeometry:
    """Rings, positions and mirror images of the modules of a detectors table."""
    table = detectors.sort_values(["volume_id", "layer_id", "module_id"]).reset_index(drop=True)
    key = group_key(table["volume_id"], table["layer_id"], table["module_id"], "modulewise")
    cx, cy, cz = (table[c].to_numpy(np.float64) for c in ("cx", "cy", "cz"))
    phi = np.arctan2(cy, cx)
    c, s = np.cos(phi), np.sin(phi)
    frame = []
    for axis in "uvw":  # module axes in the co-rotating frame (e_r, e_phi, e_z)
        ax, ay, az = (table[f"rot_{d}{axis}"].to_numpy(np.float64) for d in "xyz")
        frame += [c * ax + s * ay, -s * ax + c * ay, az]
    ring_cols = (
        np.column_stack(
            [
                table["volume_id"],
                table["layer_id"],
                np.round(np.hypot(cx, cy), POSITION_DECIMALS),
                np.round(cz, POSITION_DECIMALS),
                *np.round(np.column_stack(frame), AXIS_DECIMALS).T,
            ]
        )
        + 0.0
    )
    _, ring = np.unique(ring_cols, axis=0, return_inverse=True)
    ring = ring.ravel().astype(np.int64)
    order = np.lexsort((phi, ring))
    ring_size = np.bincount(ring).astype(np.int64)
    start = np.cumsum(ring_size) - ring_size
    position = np.empty(len(key), np.int64)
    position[order] = np.arange(len(key)) - np.repeat(start, ring_size)
    members = np.full((len(ring_size), int(ring_size.max()) if len(ring_size) else 0), -1, np.int64)
    members[ring[order], position[order]] = order
    ring_sym = np.where(_equally_spaced(phi, members, ring_size), ring_size, 1)
    return ModuleGeometry(
        key=key,
        ring=ring,
        position=position,
        ring_size=ring_size,
        ring_sym=ring_sym,
        members=members,
        mirror=_mirror(cx, cy, cz),
        digest=geometry_digest(detectors),
        centre=np.column_stack([cx, cy, cz]),
    )


def _equally_spaced(phi: np.ndarray, members: np.ndarray, ring_size: np.ndarray) -> np.ndarray:
    """bool [R]: consecutive centres of each ring are 2 pi / n apart."""
    out = np.zeros(len(ring_size), dtype=bool)
    for r, n in enumerate(ring_size):
        p = phi[members[r, :n]]
        gaps = np.diff(np.append(p, p[0] + 2 * np.pi))
        out[r] = n > 1 and bool(np.all(np.abs(gaps - 2 * np.pi / n) < SPACING_TOLERANCE))
    return out


def _mirror(cx: np.ndarray, cy: np.ndarray, cz: np.ndarray) -> np.ndarray:
    """int64 [M] index of the module centred at (cx, cy, -cz), -1 where none."""
    rounded = np.round(np.column_stack([cx, cy, cz]), POSITION_DECIMALS) + 0.0
    lookup = {tuple(row): i for i, row in enumerate(rounded.tolist())}
    flipped = (rounded * np.array([1.0, 1.0, -1.0])) + 0.0
    return np.array([lookup.get(tuple(row), -1) for row in flipped.tolist()], dtype=np.int64)
