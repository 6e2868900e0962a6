"""The track-builder interface and the per-event driver."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, fields

import numpy as np

from trackgnn.track_building.cleaning import drop_outliers, split_inconsistent
from trackgnn.track_building.extension import attach_hits
from trackgnn.track_building.merging import MergeConfig, merge_fragments
from trackgnn.track_building.selection import drop_low_pt
from trackgnn.utils.finite import check_finite
from trackgnn.utils.registry import Registry

TRACK_BUILDERS: Registry[TrackBuilder] = Registry("track_building")


@dataclass
class TrackBuilder(ABC):
    """Turn a graph with edge scores into track labels.

    Subclasses are dataclasses whose fields are their config keys; register them with
    ``@TRACK_BUILDERS.register("name")``.
    """

    @classmethod
    def from_config(cls, section: dict) -> TrackBuilder:
        """The builder with its fields taken from a validated ``track_building`` section (the
        schema holds their defaults); a missing field is a ``ValueError`` naming the keys."""
        names = [f.name for f in fields(cls)]
        missing = [name for name in names if name not in section]
        if missing:
            raise ValueError(
                f"track_building: keys {missing} missing from the section (read the config with "
                "trackgnn.config.load_config, which fills the schema's defaults)"
            )
        return cls(**{name: section[name] for name in names})

    @abstractmethod
    def build(self, num_nodes: int, edge_index: np.ndarray, scores: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Labels for ``num_nodes`` hits.

        Args:
            num_nodes: N.
            edge_index: int [2, E], oriented inner -> outer.
            scores: float [E], edge scores in [0, 1].
            r: float [N], distance of each hit from the origin (orders the walk).

        Returns:
            int64 [N]; hits sharing a label form a track, unassigned hits get unique labels.
        """


def singletons_for_unassigned(labels: np.ndarray) -> np.ndarray:
    """Replace ``-1`` labels with fresh unique labels."""
    labels = labels.copy()
    free = labels < 0
    start = labels.max() + 1 if (~free).any() else 0
    labels[free] = start + np.arange(free.sum())
    return labels


def refine_tracks(labels: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, merge: MergeConfig) -> np.ndarray:
    """The helix refinement of walked candidates: cut inconsistent ones, shed stray hits, join
    fragments, attach unassigned hits, join again (attached hits bring fragments within
    reach). Every step releases hits as ``-1``; each gets a fresh singleton label here."""
    for step in (split_inconsistent, drop_outliers, merge_fragments, attach_hits, merge_fragments):
        labels = singletons_for_unassigned(step(labels, x, y, z, merge))
    return labels


def build_tracks_for_event(arrays: dict, section: dict, score_field: str, where: str = "event") -> np.ndarray:
    """Labels of one event of a scored graph shard (``hit_id``, ``edge_index``, ``r``, scores).

    ``where`` names the file and event in errors. NaN or inf scores are refused: a NaN
    compares false with every cut, so its edge would silently join no track.
    """
    method = TRACK_BUILDERS.get(section["method"]).from_config(section)
    if score_field not in arrays:
        raise ValueError(f"{where}: the graph has no '{score_field}' edge scores; has the scoring stage run?")
    check_finite(
        arrays[score_field],
        f"edge scores '{score_field}'",
        where,
        "the model file or the input features of the scoring stage are corrupt",
    )
    edge_index = np.asarray(arrays["edge_index"], dtype=np.int64).reshape(2, -1)
    # the walk order must be the edge orientation of graph construction: distance from the
    # origin rho = sqrt(r^2 + z^2), not the cylindrical r (endcap hits of one track share r,
    # so ordering by r starts walks in the middle of forward tracks and splits them)
    if "r" in arrays and "z" in arrays:
        r = np.hypot(np.asarray(arrays["r"], dtype=np.float64), np.asarray(arrays["z"], dtype=np.float64))
    elif "r" in arrays:
        r = np.asarray(arrays["r"], dtype=np.float64)
    else:
        r = np.zeros(len(arrays["hit_id"]))
    labels = method.build(len(arrays["hit_id"]), edge_index, np.asarray(arrays[score_field], dtype=np.float64), r)
    # the schema enables merging in the workflow; a bare section without the key does not merge
    merge = MergeConfig.from_section(section.get("merge", {"enabled": False}))
    if merge.enabled:
        labels = singletons_for_unassigned(labels)
        if not all(k in arrays for k in ("r", "phi", "z")):
            raise ValueError("track_building.merge needs the hits' r, phi and z in the scored graphs")
        hit_r, hit_phi = np.asarray(arrays["r"], np.float64), np.asarray(arrays["phi"], np.float64)
        hx, hy, hz = hit_r * np.cos(hit_phi), hit_r * np.sin(hit_phi), np.asarray(arrays["z"], np.float64)
        labels = refine_tracks(labels, hx, hy, hz, merge)
    min_pt = float(section.get("min_pt", 0.0) or 0.0)
    if min_pt > 0:
        if "phi" not in arrays or "r" not in arrays:
            raise ValueError("track_building.min_pt needs the hits' r and phi in the scored graphs")
        released = drop_low_pt(
            labels,
            np.asarray(arrays["r"], np.float64),
            np.asarray(arrays["phi"], np.float64),
            min_pt,
            float(section.get("bfield_t", 2.0)),
        )
        labels = singletons_for_unassigned(released)
    return labels
