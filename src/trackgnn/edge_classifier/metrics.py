"""Edge-classification figures shared by the filter and GNN stages.

Efficiency is always counted against the full truth graph of target particles,

.. math::
    \\epsilon = \\frac{|\\{e \\in \\text{kept} : \\text{target}(e)\\}|}{\\sum \\text{truth\\_target}},

so true edges lost by an earlier stage count as lost; ``stage_efficiency`` divides by the
target edges present in the stage's input instead. Purity is true kept / kept with "true"
meaning in the truth graph (``y``); ``purity_pid`` uses same-particle edges (``y_pid``).
"""

from __future__ import annotations

import numpy as np


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U with mid-ranks for ties).

    .. math::
        \\mathrm{AUC} = \\frac{\\sum_{i \\in P} \\mathrm{rank}_i - |P|(|P|+1)/2}{|P|\\,|N|}

    Args:
        scores: ``[E]`` classifier outputs (any monotone scale).
        labels: ``[E]`` bool truth.

    Returns:
        AUC in [0, 1]; NaN when one class is empty.
    """
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=bool)
    n_pos = int(labels.sum())
    n_neg = int(labels.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(scores.size, dtype=np.float64)
    # mid-ranks: every member of a block of equal scores gets the block's mean rank
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], scores.size]
    mid = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mid, ends - starts)
    u = ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


class EdgeTally:
    """Accumulates per-event edge counts and scores; :meth:`summary` gives the figures.

    Args:
        cut: score threshold; an edge is kept when ``score > cut``.
        keep_scores: keep scores and labels to compute the AUC (memory ~ 9 bytes per edge).
    """

    def __init__(self, cut: float, keep_scores: bool = True):
        self.cut = float(cut)
        self.keep_scores = keep_scores
        self.counts = dict.fromkeys(
            (
                "events",
                "hits",
                "edges_in",
                "edges_kept",
                "truth_target",
                "target_in",
                "target_kept",
                "true_kept",
                "pid_kept",
            ),
            0,
        )
        self.has_truth = False
        self._scores: list[np.ndarray] = []
        self._labels: list[np.ndarray] = []
        self.seconds: list[float] = []

    def add(self, scores: np.ndarray, n_hits: int, arrays: dict | None = None, seconds: float | None = None) -> None:
        """Add one event.

        Args:
            scores: ``[E]`` scores of the event's input edges.
            n_hits: number of nodes of the event.
            arrays: the event's truth arrays (``y``, ``target_edge``, ``truth_target``,
                optional ``y_pid``); ``None`` or missing ``y`` for inference without truth.
            seconds: time spent scoring the event.
        """
        kept = np.asarray(scores) > self.cut
        c = self.counts
        c["events"] += 1
        c["hits"] += int(n_hits)
        c["edges_in"] += int(kept.size)
        c["edges_kept"] += int(kept.sum())
        if seconds is not None:
            self.seconds.append(float(seconds))
        if arrays is None or "y" not in arrays:
            return
        self.has_truth = True
        y = np.asarray(arrays["y"], dtype=bool)
        target = np.asarray(arrays.get("target_edge", y), dtype=bool)
        c["truth_target"] += (
            int(np.asarray(arrays["truth_target"], dtype=bool).sum()) if "truth_target" in arrays else int(target.sum())
        )
        c["target_in"] += int(target.sum())
        c["target_kept"] += int((target & kept).sum())
        c["true_kept"] += int((y & kept).sum())
        c["pid_kept"] += int((np.asarray(arrays.get("y_pid", y), dtype=bool) & kept).sum())
        if self.keep_scores:
            self._scores.append(np.asarray(scores, dtype=np.float32))
            self._labels.append(y)

    def summary(self) -> dict:
        """Aggregated figures (plain Python types, ready for JSON)."""
        c = self.counts
        ratio = lambda a, b: float(a / b) if b else float("nan")  # noqa: E731
        out = {
            "cut": self.cut,
            "n_events": c["events"],
            "n_hits": c["hits"],
            "n_edges_in": c["edges_in"],
            "n_edges_kept": c["edges_kept"],
            "edges_per_hit_in": ratio(c["edges_in"], c["hits"]),
            "edges_per_hit_kept": ratio(c["edges_kept"], c["hits"]),
            "rejection": 1.0 - ratio(c["edges_kept"], c["edges_in"]) if c["edges_in"] else float("nan"),
        }
        if self.seconds:
            out["seconds_per_event"] = float(np.mean(self.seconds))
            out["seconds_per_event_max"] = float(np.max(self.seconds))
        if self.has_truth:
            out.update(
                efficiency=ratio(c["target_kept"], c["truth_target"]),
                stage_efficiency=ratio(c["target_kept"], c["target_in"]),
                input_efficiency=ratio(c["target_in"], c["truth_target"]),
                purity=ratio(c["true_kept"], c["edges_kept"]),
                purity_pid=ratio(c["pid_kept"], c["edges_kept"]),
                n_truth_target=c["truth_target"],
                n_target_kept=c["target_kept"],
            )
            if self.keep_scores and self._scores:
                out["auc"] = roc_auc(np.concatenate(self._scores), np.concatenate(self._labels))
        return out


def cut_for_efficiency(scores: np.ndarray, target: np.ndarray, efficiency: float) -> float:
    """Largest cut keeping at least ``efficiency`` of the ``target`` edges present (``score > cut``)."""
    # the step below the kept score is taken in float32, the precision scores are stored and
    # compared in (a float64 step would round back up to the score itself in a float32 compare)
    target_scores = np.sort(np.asarray(scores, dtype=np.float32)[np.asarray(target, dtype=bool)])
    if target_scores.size == 0:
        return float("nan")
    n_lose = int(np.floor((1.0 - efficiency) * target_scores.size))
    return float(np.nextafter(target_scores[n_lose], np.float32(-np.inf)))
