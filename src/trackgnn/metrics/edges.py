"""Edge-level figures: how many true edges a stage keeps, and how clean what it keeps is."""

from __future__ import annotations

import numpy as np


def edge_metrics(kept: np.ndarray, truth: np.ndarray, target: np.ndarray | None = None) -> dict:
    """Edge efficiency and purity of a selection.

    Args:
        kept: bool [E], edges the stage keeps (e.g. ``score > cut``, or all built edges).
        truth: bool [E], edge is in the truth graph.
        target: bool [E], edge is a true edge of a target particle (default: ``truth``).
            Efficiency counts target edges only; purity uses all true edges.


    Returns:
        ``efficiency`` (target kept / target), ``purity`` (true kept / kept), counts.
    """
    kept = np.asarray(kept, dtype=bool)
    truth = np.asarray(truth, dtype=bool)
    target = truth if target is None else np.asarray(target, dtype=bool)
    n_target = int(target.sum())
    n_kept = int(kept.sum())
    n_target_kept = int((kept & target).sum())
    n_true_kept = int((kept & truth).sum())
    return {
        "efficiency": n_target_kept / n_target if n_target else float("nan"),
        "purity": n_true_kept / n_kept if n_kept else float("nan"),
        "n_edges": int(len(kept)),
        "n_kept": n_kept,
        "n_true_kept": n_true_kept,
        "n_target": n_target,
        "n_target_kept": n_target_kept,
    }


#: Bins of the binned edge efficiency: the particle's pT (GeV) and pseudorapidity, and the
#: cylindrical radius (mm) of the edge's inner hit, i.e. the layer the edge starts from.
EDGE_BINS: dict[str, tuple[float, ...]] = {
    "pt": (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 1e6),
    "eta": (-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0),
    "r_inner": (0.0, 50.0, 100.0, 200.0, 400.0, 700.0, 1100.0),
}
#: The per-hit array each binning reads, taken at the edge's inner hit.
EDGE_BIN_ARRAYS = {"pt": "pt", "eta": "particle_eta", "r_inner": "r"}


def binned_edge_counts(arrays: dict, truth_edges: np.ndarray, kept_edges: np.ndarray, rho: np.ndarray) -> dict:
    """Target true edges, and those a stage kept, counted in the bins of :data:`EDGE_BINS`.

    A pooled efficiency says how many true edges a stage loses, not where; in dense events
    the losses gather in a few places (e.g. the edges from the innermost layer, whose hits
    are the farthest from the next layer), which these counts show.

    Args:
        arrays: per-hit arrays; a binning whose array (:data:`EDGE_BIN_ARRAYS`) is missing is
            left out.
        truth_edges: int [2, T], the true edges of target particles.
        kept_edges: int [2, K], those of them the stage kept (either orientation).
        rho: float [N], distance of each hit from the origin; an edge's inner hit is the nearer.

    Returns:
        ``{name: {"bins": [...], "n_target_true": [...], "n_target_kept": [...]}}``; values
        outside the bins count in the first or last bin, so each binning sums to the totals.
    """
    out = {}
    inner = {}
    for key, edges in (("n_target_true", truth_edges), ("n_target_kept", kept_edges)):
        edges = np.asarray(edges, dtype=np.int64).reshape(2, -1)
        inner[key] = np.where(rho[edges[0]] <= rho[edges[1]], edges[0], edges[1])
    for name, bins in EDGE_BINS.items():
        column = EDGE_BIN_ARRAYS[name]
        if column not in arrays:
            continue
        values = np.clip(np.asarray(arrays[column], dtype=np.float64), bins[0], bins[-1])
        out[name] = {"bins": list(bins)}
        for key, hits in inner.items():
            out[name][key] = np.histogram(values[hits], bins=bins)[0].tolist()
    return out


def pool_binned(per_event: list[dict]) -> dict:
    """:func:`binned_edge_counts` of several events summed, with the efficiency of each bin
    (``None`` where a bin holds no true edge)."""
    pooled: dict = {}
    for counts in per_event:
        for name, c in counts.items():
            into = pooled.setdefault(
                name,
                {
                    "bins": c["bins"],
                    "n_target_true": [0] * len(c["n_target_true"]),
                    "n_target_kept": [0] * len(c["n_target_kept"]),
                },
            )
            if list(c["bins"]) != list(into["bins"]):
                raise ValueError(f"binned edge counts of '{name}' with different bins: {c['bins']} and {into['bins']}")
            for key in ("n_target_true", "n_target_kept"):
                into[key] = [a + b for a, b in zip(into[key], c[key])]
    for c in pooled.values():
        c["efficiency"] = [k / t if t else None for k, t in zip(c["n_target_kept"], c["n_target_true"])]
    return pooled
