"""Evaluate track candidates of a set of events: pooled figures for each target selection,
efficiency vs pT and eta, fake rate vs eta."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

import numpy as np
import pandas as pd

from trackgnn.io import event_file, read_event
from trackgnn.metrics import TargetCuts
from trackgnn.metrics.aggregate import summarise
from trackgnn.metrics.matching import check_submission, match_tracks
from trackgnn.metrics.tracking import (
    ETA_BINS,
    PT_BINS,
    binned_efficiency,
    classify_tracks,
    metrics_from_pairs,
    no_particles_reason,
    particle_table,
)
from trackgnn.metrics.volumes import restrict_to_volumes

log = logging.getLogger(__name__)


def track_eta(pairs_tracks: pd.DataFrame, hits: pd.DataFrame, labels: pd.DataFrame) -> pd.Series:
    """Pseudorapidity of each track: the median eta of its hits seen from the origin."""
    merged = labels.merge(hits[["hit_id", "x", "y", "z"]], on="hit_id")
    r = np.hypot(merged["x"].to_numpy(np.float64), merged["y"].to_numpy(np.float64))
    merged["eta"] = np.arcsinh(merged["z"].to_numpy(np.float64) / np.maximum(r, 1e-9))
    return merged.groupby("track_id")["eta"].median().reindex(pairs_tracks)


def evaluate_events(
    sources: Iterable[tuple],
    target: TargetCuts = TargetCuts(),
    extra_targets: dict[str, TargetCuts] | None = None,
    partial: bool = False,
    every_event: bool = False,
    volumes: Collection[int] | None = None,
) -> dict:
    """Metrics of track candidates over many events.

    Args:
        sources: ``(tracks, event_dir)`` or ``(tracks, event_dir, tracks_file)`` tuples;
            ``tracks`` has ``event_id, hit_id, track_id`` and every event it names is read
            from ``event_dir`` (hits and truth required; particles optional: without them
            the event has zero target particles, with a warning). ``tracks_file`` is named
            in errors.
        target: the main target selection.
        extra_targets: further named selections reported side by side.
        partial: accept submissions that leave hits of an event out (they count as
            unassigned). Without it every hit of each event must appear exactly once, as
            the TrackML scorer requires; repeated or unknown hit ids are always refused.
        every_event: evaluate every event of each ``event_dir``, also those the tracks do
            not name (with ``partial``: all their hits unassigned, e.g. a method that kept no
            candidate); otherwise the events are those the tracks name.
        volumes: recompute every figure on the hits of these detector volumes alone (e.g.
            :data:`~trackgnn.metrics.volumes.PIXEL_VOLUMES`; see
            :func:`~trackgnn.metrics.volumes.restrict_to_volumes` for what that means); the
            submission is checked against the whole event first.

    Returns:
        ``{"target": pooled figures, "extra": {name: pooled}, "efficiency_vs_pt": rows,
        "efficiency_vs_eta": rows, "fake_rate_vs_eta": rows, "per_event": [...]}``; each
        per-event row holds ``n_missing_hits``, the hits the submission leaves out.
    """
    extra_targets = extra_targets or {}
    per_event, extra_rows, particles_all, tracks_all = [], {k: [] for k in extra_targets}, [], []
    for source in sources:
        tracks, event_dir = source[0], source[1]
        tracks_file = source[2] if len(source) > 2 else None
        groups = dict(iter(tracks.groupby("event_id")))
        if every_event:
            from trackgnn.io import list_event_ids

            empty = tracks.iloc[:0]
            groups = {e: groups.get(e, empty) for e in sorted(set(list_event_ids(event_dir)) | set(groups))}
        for event_id, labels in groups.items():
            event = read_event(
                event_dir, int(event_id), parts=("hits", "particles", "truth"), require=("hits", "truth")
            )
            n_missing = check_submission(
                labels["hit_id"].to_numpy(),
                event.hits["hit_id"].to_numpy(),
                partial=partial,
                source=tracks_file,
                event_id=int(event_id),
                hits_file=event_file(event_dir, int(event_id), "hits"),
            )
            if n_missing:
                log.info(
                    "event %d: %d of %d hits not in the tracks%s; counted as unassigned",
                    event_id,
                    n_missing,
                    len(event.hits),
                    f" ({tracks_file})" if tracks_file else "",
                )
            reason = no_particles_reason(event.truth, event.particles)
            if reason is not None:
                log.warning(
                    "event %d (%s): %s: zero target particles, the efficiency is undefined (NaN)",
                    event_id,
                    event_dir,
                    reason,
                )
            labels = labels[["hit_id", "track_id"]]
            hits, truth = event.hits, event.truth
            if volumes is not None:
                hits_file = str(event_file(event_dir, int(event_id), "hits"))
                hits, truth, labels = restrict_to_volumes(hits, truth, labels, volumes, hits_file)
                n_missing = int((~hits["hit_id"].isin(labels["hit_id"])).sum())
            pairs = match_tracks(labels, truth)
            per_event.append(
                {
                    "event_id": int(event_id),
                    "n_missing_hits": n_missing,
                    **metrics_from_pairs(pairs, truth, event.particles, target),
                }
            )
            for name, cuts in extra_targets.items():
                extra_rows[name].append(metrics_from_pairs(pairs, truth, event.particles, cuts))
            particles_all.append(particle_table(pairs, truth, event.particles, target))
            counted = classify_tracks(pairs, target.min_hits)
            counted["eta"] = track_eta(counted["track_id"], hits, labels).to_numpy()
            tracks_all.append(counted)
    if not per_event:
        raise ValueError("no events to evaluate: the tracks files are empty")
    particles = pd.concat(particles_all, ignore_index=True)
    tracks = pd.concat(tracks_all, ignore_index=True)
    return {
        "target": summarise(per_event),
        "extra": {name: summarise(rows) for name, rows in extra_rows.items()},
        "efficiency_vs_pt": binned_efficiency(particles, "pt", PT_BINS).to_dict("records"),
        "efficiency_vs_eta": binned_efficiency(particles, "eta", ETA_BINS).to_dict("records"),
        "fake_rate_vs_eta": fake_rate_vs_eta(tracks, ETA_BINS).to_dict("records"),
        "per_event": per_event,
    }


def fake_rate_vs_eta(tracks: pd.DataFrame, edges) -> pd.DataFrame:
    """Fraction of counted tracks that are fakes, in bins of track eta."""
    edges = np.asarray(edges, dtype=np.float64)
    index = np.digitize(tracks["eta"].to_numpy(), edges) - 1
    inside = (index >= 0) & (index < len(edges) - 1)
    n_all = np.bincount(index[inside], minlength=len(edges) - 1)
    n_fake = np.bincount(index[inside], weights=tracks["fake"].to_numpy(float)[inside], minlength=len(edges) - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_all > 0, n_fake / n_all, np.nan)
    return pd.DataFrame(
        {"low": edges[:-1], "high": edges[1:], "n_tracks": n_all, "n_fake": n_fake.astype(int), "fake_rate": rate}
    )


def cuts_from_config(evaluation: dict) -> tuple[TargetCuts, dict[str, TargetCuts]]:
    """The main and extra target selections of an ``evaluation`` config section."""
    target = TargetCuts.from_dict(evaluation["target"])
    extra = {}
    for item in evaluation.get("extra_targets", []):
        item = dict(item)
        name = item.pop("name")
        extra[name] = TargetCuts.from_dict(item)
    return target, extra
