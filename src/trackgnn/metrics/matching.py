"""Match reconstructed tracks to particles with the double-majority rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.errors import TrackMLFormatError

#: How many offending hit ids an error message lists.
SHOWN_IDS = 5


def check_tracks(tracks: pd.DataFrame, source: str = "tracks") -> pd.DataFrame:
    """Validate a ``hit_id, track_id`` frame (extra columns such as ``event_id`` are ignored)."""
    missing = [c for c in ("hit_id", "track_id") if c not in tracks.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {missing}; expected hit_id,track_id")
    duplicated = tracks["hit_id"].duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise ValueError(
            f"{source}: row {row}: hit_id {tracks['hit_id'].iat[row]} is assigned to more than "
            "one track; expected one track label per hit"
        )
    return tracks[["hit_id", "track_id"]]


def check_submission(
    track_hits,
    event_hits,
    *,
    partial: bool = False,
    source: str | Path | None = None,
    event_id: int | None = None,
    hits_file: str | Path | None = None,
) -> int:
    """Check that a submission lists every hit of an event exactly once (the TrackML rule).

    Args:
        track_hits: the hit_id column of the submission's rows of this event.
        event_hits: the hit ids of the event (hits or truth file).
        partial: allow hits of the event to be missing (they count as unassigned); repeated
            hit ids and hit ids the event does not have are refused all the same.
        source: the tracks file, named in the error.
        event_id: the event, named in the error.
        hits_file: the event's hits (or truth) file, named in the error.

    Returns:
        The number of hits of the event the submission leaves out.

    Raises:
        TrackMLFormatError: with the counts and the first few offending ids of each problem.
    """
    track_hits = np.asarray(track_hits, dtype=np.int64)
    event_hits = np.unique(np.asarray(event_hits, dtype=np.int64))
    ids, counts = np.unique(track_hits, return_counts=True)
    repeated = ids[counts > 1]
    unknown = np.setdiff1d(ids, event_hits, assume_unique=True)
    missing = np.setdiff1d(event_hits, ids, assume_unique=True)
    problems = []
    if repeated.size:
        problems.append(f"{repeated.size} hit_id(s) listed more than once ({_first(repeated)})")
    if unknown.size:
        where = f" ({Path(hits_file).name})" if hits_file is not None else ""
        problems.append(f"{unknown.size} hit_id(s) that are not hits of the event{where} ({_first(unknown)})")
    if missing.size and not partial:
        problems.append(f"{missing.size} of the event's {event_hits.size} hits missing ({_first(missing)})")
    if problems:
        event = f"event {event_id}: " if event_id is not None else ""
        hint = (
            "; a partial submission (trackgnn score --partial) may leave hits out, which then count as unassigned"
            if missing.size and not partial
            else ""
        )
        raise TrackMLFormatError(
            source,
            f"{event}{'; '.join(problems)}; expected every hit of the event exactly once{hint}",
        )
    return int(missing.size)


def _first(ids: np.ndarray) -> str:
    shown = ", ".join(str(int(i)) for i in ids[:SHOWN_IDS])
    return f"first: {shown}" + (", ..." if ids.size > SHOWN_IDS else "")


def match_tracks(tracks: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Count, for every (track, particle) pair sharing hits, how many hits they share.

    Hits of the event missing from ``tracks`` become singleton tracks (they can never
    be matched), and hits in ``tracks`` unknown to ``truth`` are an error.

    Args:
        tracks: ``hit_id, track_id``.
        truth: ``hit_id, particle_id`` and optionally ``weight``.

    Returns:
        One row per (track_id, particle_id) pair with columns ``n_common``, ``weight``
        (sum of the shared hits' weights), ``track_hits``, ``particle_hits``, ``purity``
        (n_common / track_hits), ``completeness`` (n_common / particle_hits) and
        ``matched`` (strictly > 50 % both ways, noise excluded).
    """
    tracks = check_tracks(tracks)
    unknown = ~np.isin(tracks["hit_id"].to_numpy(), truth["hit_id"].to_numpy())
    if unknown.any():
        raise ValueError(f"tracks: hit_id {tracks['hit_id'].to_numpy()[unknown][0]} is not a hit of the event")
    columns = ["hit_id", "particle_id"] + (["weight"] if "weight" in truth.columns else [])
    hits = truth[columns].merge(tracks, on="hit_id", how="left")
    orphan = hits["track_id"].isna().to_numpy()
    if orphan.any():
        # hits without a label: give each a fresh id above every existing label
        labelled = tracks["track_id"].to_numpy(np.int64)
        base = int(labelled.max()) + 1 if len(labelled) else 0
        filled = np.zeros(len(hits), dtype=np.int64)
        filled[~orphan] = hits.loc[~orphan, "track_id"].to_numpy(np.int64)
        filled[orphan] = base + np.arange(orphan.sum())
        hits["track_id"] = filled
    else:
        hits["track_id"] = hits["track_id"].astype(np.int64)
    if "weight" not in hits.columns:
        hits["weight"] = 0.0
    else:
        # float32 (the file contract) summed in float64: each pair's weight is an exact sum
        hits["weight"] = hits["weight"].to_numpy(np.float32).astype(np.float64)
    pairs = (
        hits.groupby(["track_id", "particle_id"], sort=False)
        .agg(n_common=("hit_id", "size"), weight=("weight", "sum"))
        .reset_index()
    )
    track_hits = hits.groupby("track_id").size()
    particle_hits = hits.groupby("particle_id").size()
    pairs["track_hits"] = track_hits.reindex(pairs["track_id"]).to_numpy()
    pairs["particle_hits"] = particle_hits.reindex(pairs["particle_id"]).to_numpy()
    pairs["purity"] = pairs["n_common"] / pairs["track_hits"]
    pairs["completeness"] = pairs["n_common"] / pairs["particle_hits"]
    pairs["matched"] = (
        (2 * pairs["n_common"] > pairs["track_hits"])
        & (2 * pairs["n_common"] > pairs["particle_hits"])
        & (pairs["particle_id"] != 0)
    )
    return pairs
