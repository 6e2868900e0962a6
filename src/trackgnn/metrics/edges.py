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
