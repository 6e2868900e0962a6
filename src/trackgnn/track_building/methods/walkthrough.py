"""Walkthrough: accept clean components, walk the ambiguous ones from the inside out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from trackgnn.track_building.base import TRACK_BUILDERS, TrackBuilder, singletons_for_unassigned


@TRACK_BUILDERS.register("walkthrough")
@dataclass
class Walkthrough(TrackBuilder):
    """Connected components + walkthrough on the ambiguous ones.

    1. Keep edges with score > ``cut`` (oriented inner -> outer, so the graph is a DAG).
    2. A component in which every hit has at most one incoming and one outgoing edge is a
       simple path: it becomes a track as it is.
    3. In every other component, hits are visited in order of increasing ``r``; from each
       unused hit with no unused predecessor a walk follows the best-scoring unused
       successor with score > ``walk_min``; where several successors score above
       ``walk_branch`` every branch is explored and the longest path is kept. The path's
       hits are marked used and become one track; hits left over become singletons.

    Args:
        cut: threshold of the edges used at all.
        walk_min: a walk only steps along edges above this score.
        walk_branch: successors above this score are all explored (branching).
        max_branches: bound on explored paths per walk start (keeps the worst case linear).

    Every field is a key of ``track_building`` (defaults: the config schema; :meth:`from_config`).
    """

    cut: float
    walk_min: float
    walk_branch: float
    max_branches: int

    def build(self, num_nodes, edge_index, scores, r):
        keep = scores > self.cut
        src, dst, score = edge_index[0, keep], edge_index[1, keep], scores[keep]
        labels = np.full(num_nodes, -1, dtype=np.int64)
        if len(src) == 0:
            return singletons_for_unassigned(labels)
        graph = sp.coo_matrix((np.ones(len(src)), (src, dst)), shape=(num_nodes, num_nodes))
        _, component = connected_components(graph, directed=False)
        n_in = np.bincount(dst, minlength=num_nodes)
        n_out = np.bincount(src, minlength=num_nodes)
        simple = np.ones(component.max() + 1, dtype=bool)
        np.logical_and.at(simple, component, (n_in <= 1) & (n_out <= 1))
        in_graph = (n_in + n_out) > 0
        path_nodes = in_graph & simple[component]
        labels[path_nodes] = component[path_nodes]
        next_label = component.max() + 1

        ambiguous = np.flatnonzero(in_graph & ~simple[component])
        if len(ambiguous):
            edges = np.flatnonzero(np.isin(src, ambiguous))
            succ = self._successors(src[edges], dst[edges], score[edges])
            used = np.zeros(num_nodes, dtype=bool)
            for start in ambiguous[np.argsort(r[ambiguous], kind="stable")]:
                if used[start]:
                    continue
                path = self._longest_walk(int(start), succ, used)
                if len(path) > 1:
                    labels[path] = next_label
                    next_label += 1
                    used[path] = True
        return singletons_for_unassigned(labels)

    @staticmethod
    def _successors(src, dst, score) -> dict[int, list[tuple[float, int]]]:
        order = np.lexsort((-score, src))
        succ: dict[int, list[tuple[float, int]]] = {}
        for s, d, w in zip(src[order].tolist(), dst[order].tolist(), score[order].tolist()):
            succ.setdefault(s, []).append((w, d))
        return succ

    def _longest_walk(self, start: int, succ, used: np.ndarray) -> list[int]:
        best: list[int] = [start]
        stack = [[start]]
        explored = 0
        while stack and explored < self.max_branches:
            path = stack.pop()
            options = [(w, d) for w, d in succ.get(path[-1], ()) if w > self.walk_min and not used[d] and d not in path]
            if not options:
                explored += 1
                if len(path) > len(best):
                    best = path
                continue
            branches = [d for w, d in options if w > self.walk_branch] or [options[0][1]]
            for d in reversed(branches):
                stack.append(path + [d])
        return best
