"""The track-building stage on one shard: scored graphs -> ``event_id,hit_id,track_id`` CSV.

The one function the ``trackgnn build-tracks`` command, the workflow rule and
``trackgnn reconstruct`` call, so the three cannot drift apart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)


def build_tracks_shard(
    config: Mapping,
    input_path: str | Path,
    out_path: str | Path,
    score_field: str | None = None,
    timing_path: str | Path | None = None,
) -> dict:
    """Track candidates of every event of a scored graph shard, written to ``out_path``.

    Args:
        config: the run config (section ``track_building``: method, cuts, refinement).
        input_path: scored graph shard (HDF5, with the edge score array ``score_field``).
        out_path: tracks CSV (written atomically).
        score_field: edge score array (default ``track_building.score_field``).
        timing_path: where to write the timing record, if anywhere.

    Returns:
        the timing record: ``stage``, ``n_events``, ``seconds_per_event`` and per-event seconds.
    """
    from trackgnn.data import read_store
    from trackgnn.track_building import build_tracks_for_event
    from trackgnn.tracks import label_frame, write_tracks
    from trackgnn.utils.jsonio import write_json

    section = config["track_building"]
    field = score_field or section["score_field"]
    _, events = read_store(input_path)
    frames, seconds = [], {}
    for event_id, arrays in events.items():
        start = time.perf_counter()
        labels = build_tracks_for_event(arrays, section, field, f"{input_path} event {event_id}")
        frames.append(label_frame(event_id, arrays["hit_id"], labels))
        seconds[event_id] = time.perf_counter() - start
        log.info(
            "event %d: %d hits -> %d labels in %.3f s",
            event_id,
            len(labels),
            len(set(labels.tolist())),
            seconds[event_id],
        )
    write_tracks(out_path, frames)
    record = {
        "stage": "build_tracks",
        "n_events": len(seconds),
        "seconds_per_event": sum(seconds.values()) / max(len(seconds), 1),
        "events": {str(k): v for k, v in seconds.items()},
    }
    if timing_path:
        write_json(timing_path, record)
    return record
