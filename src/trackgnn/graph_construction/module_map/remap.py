"""Carrying a module map over to another numbering of the same modules.

The simulation's detector (ACTS ``GenericDetector``) places every module where the official
TrackML ``detectors.csv`` does, but numbers the endcap modules differently. A map built on
simulated events is carried over to the official numbering by matching each module of the
map's geometry to the module of the target table in the same volume and layer whose centre
lies within ``tolerance`` mm; every module of a pair must find its match.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from trackgnn.feature_store.truth_graph import group_key
from trackgnn.graph_construction.module_map.geometry import geometry_digest
from trackgnn.graph_construction.module_map.mapfile import ModuleMap, ModuleMapError


def remap_map(mmap: ModuleMap, target: pd.DataFrame, tolerance: float = 0.5, where: str = "module map") -> ModuleMap:
    """The map with its module keys translated into ``target``'s numbering.

    Raises:
        ModuleMapError: a module of a pair has no module of ``target`` within ``tolerance``
            mm in its volume and layer.
    """
    t_key = group_key(target["volume_id"], target["layer_id"], target["module_id"], "modulewise")
    t_centre = target[["cx", "cy", "cz"]].to_numpy(np.float64)
    used = np.unique(mmap.pairs)  # every module of a triple is in a pair
    pos = np.searchsorted(mmap.geometry_key, used)
    pos = np.clip(pos, 0, max(len(mmap.geometry_key) - 1, 0))
    if len(used) and (len(mmap.geometry_key) == 0 or np.any(mmap.geometry_key[pos] != used)):
        raise ModuleMapError(f"{where}: pairs name modules absent from the map's own geometry table")
    dist, nearest = (
        cKDTree(t_centre).query(mmap.geometry_centre[pos], k=1) if len(used) else (np.zeros(0), np.zeros(0, int))
    )
    layer = lambda k: np.asarray(k, np.int64) // 1_000_000  # noqa: E731  volume * 1000 + layer
    bad = (dist > tolerance) | (layer(t_key[nearest]) != layer(used))
    if bad.any():
        raise ModuleMapError(
            f"{where}: {int(bad.sum())} module(s) have no counterpart within {tolerance} mm in the "
            f"target geometry, e.g. module key {int(used[bad][0])}; not the same detector"
        )
    new = np.asarray(t_key, np.int64)[nearest]
    if len(np.unique(new)) != len(new):
        raise ModuleMapError(f"{where}: two modules of the map match one target module; not the same detector")
    pairs = new[np.searchsorted(used, mmap.pairs)]
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    attrs = {
        **mmap.attrs,
        "geometry_digest": geometry_digest(target),
        "remapped_from": mmap.attrs.get("geometry_digest"),
    }
    triplets = {}
    if mmap.has_triplets:
        triples = mmap.triples  # ring triples: ring indices, unchanged
        if mmap.attrs.get("triplet_granularity", "module") == "module":
            triples = new[np.searchsorted(used, mmap.triples)].reshape(-1, 3)
        t_order = np.lexsort((triples[:, 2], triples[:, 1], triples[:, 0]))
        triplets = {"triples": triples[t_order]}
        triplets.update({k: getattr(mmap, k)[t_order] for k in ("triplet_lo", "triplet_hi", "triplet_count")})
    t_sorted = np.argsort(np.asarray(t_key, np.int64))
    if mmap.geometry_ring is not None:  # rings travel with their modules; unmatched target modules: -1
        ring = np.full(len(t_key), -1, np.int64)
        ring[nearest] = mmap.geometry_ring[pos]
        triplets["geometry_ring"] = ring[t_sorted]
    return ModuleMap(
        **triplets,
        pairs=pairs[order],
        lo=mmap.lo[order],
        hi=mmap.hi[order],
        count=mmap.count[order],
        attrs=attrs,
        geometry_key=np.asarray(t_key, np.int64)[t_sorted],
        geometry_centre=t_centre[t_sorted],
    )
