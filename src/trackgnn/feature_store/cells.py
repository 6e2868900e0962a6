"""Cluster-shape features of each hit from its cells and its module's geometry.

For a hit whose cells span channel ranges :math:`\\Delta_0 = \\max ch_0 - \\min ch_0 + 1` and
:math:`\\Delta_1` on a module with pitches :math:`p_u, p_v` and half thickness :math:`t`
(``module_t`` of ``detectors.csv``):

.. math::
    \\ell_u = \\Delta_0 p_u,\\quad \\ell_v = \\Delta_1 p_v,\\quad \\ell_w = 2t

The local direction is :math:`d = (\\ell_u, \\ell_v, \\ell_w)` with angles
``leta = asinh(l_w / hypot(l_u, l_v))``, ``lphi = atan2(l_v, l_u)``; the global direction is
:math:`R d` (``rot_*`` of ``detectors.csv``), giving ``geta`` and ``gphi`` the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.io.detectors import MODULE_KEY

CELL_COLUMNS = ("cell_count", "cell_value", "len_u", "len_v", "leta", "lphi", "geta", "gphi")


def _angles(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pseudorapidity and azimuth of the vectors ``(a, b, c)`` (c is the polar axis)."""
    t = np.hypot(a, b)
    eta = np.arcsinh(c / np.maximum(t, 1e-9))
    return eta, np.arctan2(b, a)


def cell_features(hits: pd.DataFrame, cells: pd.DataFrame, detectors: pd.DataFrame) -> dict[str, np.ndarray]:
    """Cell features (float32 [N] each, in hit order) of :data:`CELL_COLUMNS`.

    Hits without cells get zeros. Raises ``ValueError`` when a hit's module is not in
    ``detectors``.
    """
    n = len(hits)
    hit_index = pd.Index(hits["hit_id"].to_numpy())
    rows = hit_index.get_indexer(cells["hit_id"].to_numpy())
    ch0 = cells["ch0"].to_numpy(np.int64)
    ch1 = cells["ch1"].to_numpy(np.int64)
    count = np.bincount(rows, minlength=n).astype(np.float64)
    value = np.bincount(rows, weights=cells["value"].to_numpy(np.float64), minlength=n)
    big = np.iinfo(np.int64).max
    lo0, hi0 = np.full(n, big), np.full(n, -big)
    lo1, hi1 = np.full(n, big), np.full(n, -big)
    np.minimum.at(lo0, rows, ch0)
    np.maximum.at(hi0, rows, ch0)
    np.minimum.at(lo1, rows, ch1)
    np.maximum.at(hi1, rows, ch1)
    has = count > 0
    ext0 = np.where(has, hi0 - lo0 + 1, 0).astype(np.float64)
    ext1 = np.where(has, hi1 - lo1 + 1, 0).astype(np.float64)

    geo = hits[MODULE_KEY].merge(detectors, on=MODULE_KEY, how="left")
    if geo["pitch_u"].isna().any():
        row = int(np.flatnonzero(geo["pitch_u"].isna().to_numpy())[0])
        key = tuple(int(v) for v in hits[MODULE_KEY].iloc[row])
        raise ValueError(
            f"hit_id {hits['hit_id'].iat[row]}: module (volume, layer, module) {key} is not in detectors.csv"
        )
    lu = ext0 * geo["pitch_u"].to_numpy()
    lv = ext1 * geo["pitch_v"].to_numpy()
    lw = np.where(has, 2.0 * geo["module_t"].to_numpy(), 0.0)
    rot = np.stack([geo[f"rot_{a}{b}"].to_numpy() for a in "xyz" for b in "uvw"], axis=1).reshape(-1, 3, 3)
    g = np.einsum("nij,nj->ni", rot, np.stack([lu, lv, lw], axis=1))
    leta, lphi = _angles(lu, lv, lw)
    geta, gphi = _angles(g[:, 0], g[:, 1], g[:, 2])
    out = {
        "cell_count": count,
        "cell_value": value,
        "len_u": lu,
        "len_v": lv,
        "leta": np.where(has, leta, 0.0),
        "lphi": np.where(has, lphi, 0.0),
        "geta": np.where(has, geta, 0.0),
        "gphi": np.where(has, gphi, 0.0),
    }
    return {k: v.astype(np.float32) for k, v in out.items()}
