"""Connected components of the edges above a score cut."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from trackgnn.track_building.base import TRACK_BUILDERS, TrackBuilder


@TRACK_BUILDERS.register("connected_components")
@dataclass
class ConnectedComponents(TrackBuilder):
    r"""Tracks are the connected components of :math:`\{(i, j) : s_{ij} > \text{cut}\}`.

    Fast and exact when the GNN is clean; a single wrong edge above the cut merges two
    tracks, which :class:`Walkthrough` avoids.

    Args:
        cut: edge score threshold (``track_building.cut``; default in the config schema).
    """

    cut: float

    def build(self, num_nodes, edge_index, scores, r):
        keep = scores > self.cut
        src, dst = edge_index[:, keep]
        graph = sp.coo_matrix((np.ones(len(src)), (src, dst)), shape=(num_nodes, num_nodes))
        _, labels = connected_components(graph, directed=False)
        return labels.astype(np.int64)
