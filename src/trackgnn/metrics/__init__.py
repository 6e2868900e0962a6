"""Tracking metrics: TrackML score, double-majority efficiency, fake and duplicate rates,
edge efficiency and purity."""

from trackgnn.metrics.cuts import TargetCuts
from trackgnn.metrics.edges import edge_metrics
from trackgnn.metrics.matching import match_tracks
from trackgnn.metrics.score import trackml_score
from trackgnn.metrics.tracking import binned_efficiency, tracking_metrics
from trackgnn.metrics.weights import truth_weights

__all__ = [
    "TargetCuts",
    "binned_efficiency",
    "edge_metrics",
    "match_tracks",
    "trackml_score",
    "tracking_metrics",
    "truth_weights",
]
