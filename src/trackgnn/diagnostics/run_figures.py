"""Truth-free figures of one run's test events, from the stage outputs the workflow wrote.

What each model sees and gives, measured without truth so that a run on real files and a run
on simulated events with the same models compare directly (:mod:`trackgnn.diagnostics.sim_to_real`):
edges per hit of the graph at the run's radius (overall and per volume), the filter and GNN
score distributions, edges kept at the GNN cut, track multiplicity and length of the GNN and
CKF tracks, and the GNN-vs-CKF agreement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.data.store import read_store
from trackgnn.tracks import read_tracks


def _histogram(values: list[np.ndarray], bins: int) -> dict:
    """Fraction of the values in each of ``bins`` equal bins on [0, 1] (scores are probabilities)."""
    joined = np.concatenate(values) if values else np.zeros(0)
    counts, edges = np.histogram(np.clip(joined, 0.0, 1.0), bins=bins, range=(0.0, 1.0))
    total = max(int(counts.sum()), 1)
    return {
        "edges": [round(float(e), 4) for e in edges],
        "fraction": [round(float(c) / total, 5) for c in counts],
        "n": int(joined.size),
        "mean": round(float(joined.mean()), 4) if joined.size else None,
    }


def graph_figures(graph_files: Sequence[str | Path]) -> dict:
    """Edges per hit of the built graphs, overall and per volume (each edge counts half at each end),
    and the hits at the kNN cap with the in-radius neighbours it dropped (graph stage records)."""
    hits, edges, n_events, dropped, capped = 0, 0, 0, 0, 0
    vol_hits: dict[int, int] = {}
    vol_ends: dict[int, int] = {}
    record: dict = {}
    for path in graph_files:
        record = json.loads(Path(path).with_suffix(".json").read_text())
        dropped += int((record.get("total") or {}).get("n_dropped") or 0)
        capped += int((record.get("total") or {}).get("n_capped") or 0)
        _, events = read_store(path, names=["edge_index", "volume_id"])
        n_events += len(events)
        for arrays in events.values():
            volume = arrays["volume_id"]
            hits += len(volume)
            edges += arrays["edge_index"].shape[1]
            for v, n in zip(*np.unique(volume, return_counts=True)):
                vol_hits[int(v)] = vol_hits.get(int(v), 0) + int(n)
            ends = volume[arrays["edge_index"].ravel()]
            for v, n in zip(*np.unique(ends, return_counts=True)):
                vol_ends[int(v)] = vol_ends.get(int(v), 0) + int(n)
    per_volume = {str(v): round(vol_ends.get(v, 0) / (2 * n), 3) for v, n in sorted(vol_hits.items())}
    return {
        "radius": record.get("radius"),
        "knn": record.get("knn"),
        "n_events": n_events,
        "n_hits": hits,
        "n_edges": edges,
        "edges_per_hit": round(edges / hits, 4) if hits else None,
        "edges_per_hit_per_volume": per_volume,
        # where the kNN cap binds, edges per hit is set by the cap; the in-radius neighbours it
        # dropped still measure the neighbourhood size in the embedding space
        "capped_hit_fraction": round(capped / hits, 4) if hits else None,
        "dropped_neighbours_per_hit": round(dropped / hits, 2) if hits else None,
    }


def score_figures(scored_files: Sequence[str | Path], bins: int) -> dict:
    """Filter and GNN score histograms of the edges the GNN scored, and the edges kept at its cut."""
    filt, gnn, hits, cut = [], [], 0, None
    for path in scored_files:
        attrs, events = read_store(path, names=["filter_score", "gnn_score", "hit_id"])
        cut = float(attrs["gnn_score_cut"]) if "gnn_score_cut" in attrs else cut
        for arrays in events.values():
            filt.append(arrays["filter_score"])
            gnn.append(arrays["gnn_score"])
            hits += len(arrays["hit_id"])
    kept = int(sum(np.count_nonzero(g > cut) for g in gnn)) if cut is not None else None
    return {
        "filter_score": _histogram(filt, bins),
        "gnn_score": _histogram(gnn, bins),
        "gnn_cut": cut,
        "edges_per_hit_filtered": round(sum(len(g) for g in gnn) / hits, 4) if hits else None,
        "edges_per_hit_kept": round(kept / hits, 4) if hits and kept is not None else None,
    }


#: Track candidates shorter than this are not counted: track writers give every unassigned hit
#: a track id of its own, so one-hit "tracks" would swamp the multiplicity.
MIN_TRACK_HITS = 3


def track_figures(track_files: Sequence[str | Path], min_hits: int) -> dict:
    """Tracks per event of >= ``MIN_TRACK_HITS`` hits and long ones (>= ``min_hits`` hits), and
    the mean length of the former."""
    frame = pd.concat([read_tracks(p) for p in track_files], ignore_index=True)
    frame = frame[frame["track_id"] >= 0]
    n_events = max(frame["event_id"].nunique(), 1) if "event_id" in frame else 1
    keys = ["event_id", "track_id"] if "event_id" in frame else ["track_id"]
    sizes = frame.groupby(keys).size()
    tracks = sizes[sizes >= MIN_TRACK_HITS]
    long = sizes[sizes >= min_hits]
    return {
        "tracks_per_event": round(len(tracks) / n_events, 1),
        "long_tracks_per_event": round(len(long) / n_events, 1),
        "mean_hits_per_track": round(float(tracks.mean()), 2) if len(tracks) else None,
        "min_track_hits": MIN_TRACK_HITS,
        "min_hits": min_hits,
    }


def collect(
    graphs: Sequence[str | Path],
    scored: Sequence[str | Path],
    tracks: Sequence[str | Path],
    ckf: Sequence[str | Path] = (),
    agreement: str | Path | None = None,
    events: Sequence[str | Path] = (),
    bins: int = 20,
    min_hits: int = 7,
) -> dict:
    """All figures of one run (JSON-ready); ``events`` are recorded for the hit-density comparison."""
    graph = graph_figures(graphs)
    n_events = graph["n_events"]
    return {
        "events": [str(e) for e in events],
        "n_events": n_events,
        "hits_per_event": round(graph["n_hits"] / n_events, 1) if n_events else None,
        "graph": graph,
        "scores": score_figures(scored, bins),
        "tracks": {
            "gnn": track_figures(tracks, min_hits),
            "ckf": track_figures(ckf, min_hits) if ckf else None,
        },
        "agreement": json.loads(Path(agreement).read_text()) if agreement else None,
    }
