"""Score the tracks of a set of events against their truth."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trackgnn.io import read_event
from trackgnn.metrics import TargetCuts, tracking_metrics
from trackgnn.metrics.aggregate import summarise


def evaluate_tracks(
    tracks: pd.DataFrame,
    event_dir: str | Path,
    cuts: TargetCuts = TargetCuts(),
    event_ids: list[int] | None = None,
) -> dict:
    """Metrics of ``tracks`` (``[event_id,]hit_id,track_id``) for each event and pooled.

    Args:
        tracks: track labels; without an ``event_id`` column exactly one event is scored.
        event_dir: folder of the events' hits, particles and truth.
        cuts: target-particle selection.
        event_ids: events to score (default: those in ``tracks``).

    Returns:
        The pooled figures (:func:`trackgnn.metrics.aggregate.summarise`) with a
        ``per_event`` list.
    """
    if "event_id" not in tracks.columns:
        if not event_ids or len(event_ids) != 1:
            raise ValueError("tracks have no event_id column: give exactly one event id")
        tracks = tracks.assign(event_id=event_ids[0])
    if event_ids is None:
        event_ids = sorted(int(e) for e in tracks["event_id"].unique())
    per_event = []
    for event_id in event_ids:
        event = read_event(event_dir, event_id, parts=("hits", "particles", "truth"), require=("hits", "particles", "truth"))
        labels = tracks.loc[tracks["event_id"] == event_id, ["hit_id", "track_id"]]
        if labels.empty:
            raise ValueError(f"tracks hold no row for event {event_id}")
        metrics = tracking_metrics(labels, event.truth, event.particles, cuts)
        per_event.append({"event_id": int(event_id), **metrics})
    return {**summarise(per_event), "per_event": per_event}
