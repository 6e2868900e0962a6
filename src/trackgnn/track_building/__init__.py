"""Track building: scored edges -> one track label per hit."""

from trackgnn.track_building.base import TRACK_BUILDERS, TrackBuilder, build_tracks_for_event
from trackgnn.track_building.methods import connected_components, walkthrough  # noqa: F401  (registers)

__all__ = ["TRACK_BUILDERS", "TrackBuilder", "build_tracks_for_event"]
