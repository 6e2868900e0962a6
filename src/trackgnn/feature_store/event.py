"""One TrackML event -> the feature-store arrays of its group in a shard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.feature_store.cells import cell_features
from trackgnn.feature_store.config import FeatureStoreConfig
from trackgnn.feature_store.features import FEATURES, cylindrical, feature_matrix
from trackgnn.feature_store.truth import hit_truth
from trackgnn.feature_store.truth_graph import group_key, truth_edges
from trackgnn.io import Event

#: Arrays present in every event of a shard (with or without truth).
BASE_ARRAYS = ("hit_id", "x", "r", "phi", "z", "eta", "volume_id", "layer_id", "module_id")
#: Arrays present only when the input had truth.
TRUTH_ARRAYS = ("particle_id", "pt", "particle_eta", "weight", "node_target", "truth_edges", "truth_target")


def needs_cells(cfg: FeatureStoreConfig) -> bool:
    """Whether any configured feature is a cell feature."""
    return any(FEATURES[name].cells for name in cfg.features)


def process_event(
    event: Event, cfg: FeatureStoreConfig, detectors: pd.DataFrame | None = None
) -> dict[str, np.ndarray]:
    """Feature-store arrays of one event (shapes in the module docs of
    :mod:`trackgnn.feature_store`).

    Args:
        event: hits (+ cells, particles, truth when available).
        cfg: the stage config.
        detectors: the detectors table; needed only for cell features.

    Returns:
        ``{name: array}``: :data:`BASE_ARRAYS`, plus :data:`TRUTH_ARRAYS` when the event has truth.
        An event left with zero hits (noise removal) gives arrays of length 0.
    """
    hits = event.hits
    where = f" (event {event.event_id})"
    truth = hit_truth(event, cfg.target) if event.has_truth else None
    if truth is not None and cfg.remove_noise:
        keep = truth["particle_id"] != 0
        hits = hits.loc[keep].reset_index(drop=True)
        truth = {k: v[keep] for k, v in truth.items()}
    columns: dict[str, np.ndarray] = cylindrical(hits)
    if needs_cells(cfg):
        if event.cells is None:
            raise ValueError(
                f"cell features {[f for f in cfg.features if FEATURES[f].cells]} are listed in "
                f"feature_store.features but event {event.event_id} has no cells file"
            )
        if detectors is None:
            raise ValueError("cell features need detectors.csv; set feature_store.detectors")
        columns.update(cell_features(hits, event.cells, detectors))
    out = {
        "hit_id": hits["hit_id"].to_numpy(np.int64),
        "x": feature_matrix(columns, cfg.features, where),
        **{k: columns[k] for k in ("r", "phi", "z", "eta")},
        "volume_id": hits["volume_id"].to_numpy(np.int32),
        "layer_id": hits["layer_id"].to_numpy(np.int32),
        "module_id": hits["module_id"].to_numpy(np.int32),
    }
    if truth is None:
        return out
    edges = truth_edges(
        truth["particle_id"],
        truth["vertex_distance"],
        group_key(out["volume_id"], out["layer_id"], out["module_id"], cfg.truth_graph),
    )
    out.update({k: truth[k] for k in ("particle_id", "pt", "particle_eta", "weight", "node_target")})
    out["truth_edges"] = edges
    out["truth_target"] = truth["node_target"][edges[0]] if edges.shape[1] else np.zeros(0, dtype=bool)
    return out
