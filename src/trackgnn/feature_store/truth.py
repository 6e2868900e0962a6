"""Per-hit truth of an event: particle, its kinematics, hit weight and target flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.io import Event
from trackgnn.metrics import TargetCuts
from trackgnn.metrics.cuts import particle_kinematics, target_mask


def hit_truth(event: Event, cuts: TargetCuts) -> dict[str, np.ndarray]:
    """Truth arrays in hit order (``event.truth`` must exist).

    ``pt`` and ``particle_eta`` come from the particles table when present, else from the
    truth momentum at the particle's first hit (closest to the origin). A particle is a
    target when it passes ``cuts``, counting its hits in this event.

    Returns:
        ``particle_id`` int64, ``pt``, ``particle_eta``, ``weight`` float32, ``node_target``
        bool, ``vertex_distance`` float64 (distance of the true hit position from the vertex).
    """
    truth = event.hits[["hit_id"]].merge(event.truth, on="hit_id", how="left")
    pid = truth["particle_id"].to_numpy(np.int64)
    t = truth[["tx", "ty", "tz"]].to_numpy(np.float64)
    if event.particles is not None:
        parts = event.particles.set_index("particle_id")
        kin = particle_kinematics(event.particles).set_index("particle_id")
        vertex = parts.reindex(pid)[["vx", "vy", "vz"]].to_numpy(np.float64)
        pt = kin["pt"].reindex(pid).to_numpy()
        eta = kin["eta"].reindex(pid).to_numpy()
    else:
        vertex = np.zeros_like(t)
        first = truth.assign(d=np.linalg.norm(t, axis=1)).sort_values("d").drop_duplicates("particle_id")
        first = first.rename(columns={"tpx": "px", "tpy": "py", "tpz": "pz"})
        kin = particle_kinematics(first).set_index("particle_id")
        pt = kin["pt"].reindex(pid).to_numpy()
        eta = kin["eta"].reindex(pid).to_numpy()
    noise = pid == 0
    vertex = np.where(noise[:, None] | np.isnan(vertex), 0.0, vertex)
    pt = np.where(noise, 0.0, np.nan_to_num(pt))
    eta = np.where(noise, 0.0, np.nan_to_num(eta))

    ids, inverse, n_hits = np.unique(pid, return_inverse=True, return_counts=True)
    id_kin = pd.DataFrame({"particle_id": ids, "pt": pt[np.unique(inverse, return_index=True)[1]]})
    id_kin["eta"] = eta[np.unique(inverse, return_index=True)[1]]
    is_target = target_mask(id_kin, n_hits, cuts) & (ids != 0)
    return {
        "particle_id": pid,
        "pt": pt.astype(np.float32),
        "particle_eta": eta.astype(np.float32),
        "weight": truth["weight"].to_numpy(np.float32),
        "node_target": is_target[inverse],
        "vertex_distance": np.linalg.norm(t - vertex, axis=1),
    }
