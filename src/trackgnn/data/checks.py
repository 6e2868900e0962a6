"""The shard contract checked on every read: one row per hit in the per-hit arrays, one per
edge in the per-edge arrays, edges that point at existing hits, and finite node features
and edge scores.

Without these checks a shard whose arrays disagree (a truncated rewrite, a hand-edited
file) fails deep inside torch with an index error, or worse does not fail: a NaN node
feature gives NaN scores on the edges around it, and a NaN score silently drops its edge.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from trackgnn.utils.finite import check_finite

#: Per-hit arrays of the feature store (and every later shard): first axis = hits.
NODE_ARRAYS = (
    "hit_id",
    "x",
    "r",
    "phi",
    "z",
    "eta",
    "volume_id",
    "layer_id",
    "module_id",
    "particle_id",
    "pt",
    "particle_eta",
    "weight",
    "node_target",
)
#: Per-edge arrays of graph shards: first axis = ``edge_index.shape[1]``.
EDGE_ARRAYS = ("y", "y_pid", "target_edge", "filter_score", "gnn_score", "edge_weight", "edge_attr")
#: Arrays that must hold finite numbers, with what they are in words.
FINITE_ARRAYS = {
    "x": "node features 'x'",
    "r": "hit coordinates 'r'",
    "phi": "hit coordinates 'phi'",
    "z": "hit coordinates 'z'",
    "eta": "hit coordinates 'eta'",
    "filter_score": "edge scores 'filter_score'",
    "gnn_score": "edge scores 'gnn_score'",
}
#: Likely cause of non-finite values, by array.
HINTS = {
    "filter_score": "the model file or the input features are corrupt",
    "gnn_score": "the model file or the input features are corrupt",
}
NODE_HINT = "the input hits or the feature store are corrupt; rebuild the feature store"


class ShardLayoutError(ValueError):
    """The arrays of an event disagree in length or point outside the event."""


def check_event(arrays: Mapping[str, np.ndarray], where: str, node_hint: str = NODE_HINT) -> None:
    """Check the arrays of one event (those present; others are not required here).

    Args:
        arrays: ``{name: array}`` of the event (``_attrs`` and unknown names are ignored).
        where: the file and event in words (``"graphs/test-000.h5 event 3"``).
        node_hint: likely cause of non-finite node arrays, appended to that error.

    Raises:
        ShardLayoutError: lengths or edge indices disagree.
        NonFiniteError: a node feature, coordinate or edge score is NaN or inf.
    """
    check_lengths(arrays, where)
    for name, what in FINITE_ARRAYS.items():
        if name in arrays:
            check_finite(arrays[name], what, where, HINTS.get(name, node_hint))


def check_lengths(arrays: Mapping[str, np.ndarray], where: str) -> None:
    """Per-hit arrays share their length, per-edge arrays match ``edge_index``, edge indices
    are hits of the event; ``truth_target`` matches ``truth_edges``."""
    rows = {n: _rows(arrays[n]) for n in NODE_ARRAYS if n in arrays}
    if len(set(rows.values())) > 1:
        raise ShardLayoutError(
            f"{where}: the per-hit arrays differ in length ({_listing(rows)}); each needs one row per hit"
        )
    if "x" in arrays and np.ndim(arrays["x"]) != 2:
        raise ShardLayoutError(f"{where}: 'x' must be [hits, features], got shape {np.shape(arrays['x'])}")
    n_hits = next(iter(rows.values()), None)
    for edges_name, per_edge in (("edge_index", EDGE_ARRAYS), ("truth_edges", ("truth_target",))):
        if edges_name not in arrays:
            continue
        edges = np.asarray(arrays[edges_name])
        if edges.ndim != 2 or edges.shape[0] != 2:
            raise ShardLayoutError(f"{where}: '{edges_name}' must be [2, E], got shape {edges.shape}")
        n_edges = edges.shape[1]
        wrong = {n: _rows(arrays[n]) for n in per_edge if n in arrays and _rows(arrays[n]) != n_edges}
        if wrong:
            raise ShardLayoutError(
                f"{where}: '{edges_name}' has {n_edges} edges but {_listing(wrong)}; "
                "each per-edge array needs one row per edge"
            )
        if n_edges and n_hits is not None:
            low, high = int(edges.min()), int(edges.max())
            if low < 0 or high >= n_hits:
                bad = low if low < 0 else high
                raise ShardLayoutError(
                    f"{where}: '{edges_name}' refers to hit index {bad} but the event has "
                    f"{n_hits} hits (valid 0..{n_hits - 1})"
                )


def _rows(value) -> int:
    shape = np.shape(value)
    return int(shape[0]) if shape else 1


def _listing(rows: Mapping[str, int]) -> str:
    return ", ".join(f"'{name}' has {n} rows" for name, n in rows.items())
