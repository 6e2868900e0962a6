"""Reading and writing TrackML-format events and detector descriptions."""

from trackgnn.io.detectors import read_detectors, write_detectors
from trackgnn.io.errors import TrackMLFormatError
from trackgnn.io.trackml import (
    Event,
    event_file,
    list_event_ids,
    read_event,
    read_events,
    read_particles_file,
    write_event,
)

__all__ = [
    "Event",
    "TrackMLFormatError",
    "event_file",
    "list_event_ids",
    "read_detectors",
    "read_event",
    "read_events",
    "read_particles_file",
    "write_detectors",
    "write_event",
]
