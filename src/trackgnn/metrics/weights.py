r"""TrackML score hit weights.

Each hit of a particle weighs :math:`w = w_{p_T}(p_T)\,w_{\mathrm{order}}(i, n)`, normalised
so that the whole event sums to one:

* :math:`w_{p_T}` is 0.2 below 0.5 GeV, rises linearly to 1 at 3 GeV and stays 1 above;
* :math:`w_{\mathrm{order}}` favours the first and last hits along the track: the proposal
  ``[10, 8, 6, 5, 3, 3, 3, 5, 6]`` is stretched over the particle's ``n`` hits by linear
  interpolation and normalised so that each particle's order weights sum to one;
* noise hits (``particle_id == 0``) and particles with fewer than 4 hits weigh 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ORDER_PROPOSAL = np.array([10.0, 8.0, 6.0, 5.0, 3.0, 3.0, 3.0, 5.0, 6.0])
MIN_HITS = 4


def pt_weight(pt: np.ndarray) -> np.ndarray:
    """The pT factor of the hit weight (pt in GeV)."""
    pt = np.asarray(pt, dtype=np.float64)
    return np.clip(0.2 + 0.8 * (pt - 0.5) / 2.5, 0.2, 1.0)


def order_weights(n: int) -> np.ndarray:
    """Normalised order weights of the ``n`` hits of one track (zeros below 4 hits)."""
    if n < MIN_HITS:
        return np.zeros(n)
    supports = np.arange(len(ORDER_PROPOSAL)) * (n - 1) / (len(ORDER_PROPOSAL) - 1)
    weights = np.interp(np.arange(n), supports, ORDER_PROPOSAL)
    return weights / weights.sum()


def truth_weights(truth: pd.DataFrame, particles: pd.DataFrame) -> np.ndarray:
    """Weights of the truth rows, in their order, summing to one over the event.

    Args:
        truth: ``hit_id, particle_id, tx, ty, tz`` and optionally ``order``, the index of
            the hit along its particle's trajectory (simulation step order; better than the
            distance from the vertex for loopers). Without it hits are ordered by distance
            of ``(tx, ty, tz)`` from the particle's vertex.
        particles: ``particle_id, vx, vy, vz, px, py``.

    Returns:
        float64 array with one weight per truth row.
    """
    n_rows = len(truth)
    weights = np.zeros(n_rows)
    pid = truth["particle_id"].to_numpy()
    signal = pid != 0
    if not signal.any():
        return weights
    part = particles.set_index("particle_id")
    unknown = ~np.isin(pid[signal], part.index.to_numpy())
    if unknown.any():
        raise ValueError(f"truth names particle_id {pid[signal][unknown][0]} that is not in particles")
    rows = np.flatnonzero(signal)
    p = part.loc[pid[rows]]
    if "order" in truth.columns:
        key = truth["order"].to_numpy(np.float64)[rows]
    else:
        delta = truth[["tx", "ty", "tz"]].to_numpy(np.float64)[rows] - p[["vx", "vy", "vz"]].to_numpy(np.float64)
        key = np.einsum("ij,ij->i", delta, delta)
    # sort hits by particle, then along the trajectory; rank within each particle
    order = np.lexsort((key, pid[rows]))
    sorted_pid = pid[rows][order]
    starts = np.flatnonzero(np.r_[True, sorted_pid[1:] != sorted_pid[:-1]])
    counts = np.diff(np.r_[starts, len(sorted_pid)])
    rank = np.arange(len(sorted_pid)) - np.repeat(starts, counts)
    n_of_hit = np.repeat(counts, counts)
    w_order = np.zeros(len(rank))
    for n in np.unique(counts):
        in_n = n_of_hit == n
        w_order[in_n] = order_weights(int(n))[rank[in_n]]
    pt = np.hypot(p["px"].to_numpy(np.float64), p["py"].to_numpy(np.float64))[order]
    weights[rows[order]] = w_order * pt_weight(pt)
    total = weights.sum()
    return weights / total if total > 0 else weights
