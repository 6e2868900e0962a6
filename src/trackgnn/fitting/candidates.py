"""GNN track candidates of one event -> ACTS proto tracks (lists of measurement indices).

A candidate is a group of hits sharing a ``track_id`` in a tracks CSV (``trackgnn
build-tracks`` output). Hits with a negative ``track_id`` and groups of one hit are
unassigned hits, not candidates (``build-tracks`` gives every unassigned hit its own label;
the truth reference marks noise with negative labels). A candidate is fitted only when ACTS
can seed it: at least ``min_hits`` hits on at least three distinct layers (three space
points at distinct radii give the starting helix). The others are dropped here and counted
per reason, so a bad candidate never reaches ACTS.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.errors import TrackMLFormatError

#: reasons a candidate is dropped before the fit
TOO_FEW_HITS = "too_few_hits"
TOO_FEW_LAYERS = "too_few_layers"


@dataclass
class Candidates:
    """The fittable candidates of one event.

    Attributes:
        track_id: int64 [C], the candidate's ``track_id`` in the input file.
        measurements: C lists of measurement indices, ordered by distance from the origin.
        variants: the proto tracks handed to ACTS: per candidate, its hits in up to
            ``n_variants`` orders (see :func:`seed_variants`); all hold the same hits.
        owner: int64 [M], the candidate index of each measurement (-1: none).
        n_candidates: groups of >= 2 hits in the input (fitted or not).
        n_unassigned_hits: hits in singletons or with a negative ``track_id``.
        dropped: candidates dropped here, per reason.
    """

    track_id: np.ndarray
    measurements: list[list[int]]
    owner: np.ndarray
    variants: list[list[int]] = field(default_factory=list)
    n_candidates: int = 0
    n_unassigned_hits: int = 0
    dropped: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.measurements)


def event_candidates(
    labels: pd.DataFrame,
    meas_hit_id: np.ndarray,
    hits: pd.DataFrame,
    min_hits: int,
    source: str | Path | None = None,
    event_id: int | None = None,
    n_variants: int = 1,
) -> Candidates:
    """Group one event's labelled hits into candidates and keep the fittable ones.

    Args:
        labels: ``hit_id, track_id`` of the event (a subset of its hits is fine).
        meas_hit_id: int64 [M], hit id of each ACTS measurement (its index = row).
        hits: the event's hits (``hit_id, x, y, z, volume_id, layer_id``).
        min_hits: fewest hits of a fitted candidate (>= 3).
        n_variants: proto tracks per candidate (:func:`seed_variants`).
        source, event_id: named in error messages.

    Raises:
        TrackMLFormatError: a labelled hit id is not a hit of the event.
    """
    n_meas = len(meas_hit_id)
    owner = np.full(n_meas, -1, dtype=np.int64)
    hit_ids = labels["hit_id"].to_numpy(np.int64)
    track = labels["track_id"].to_numpy(np.int64)
    order = np.argsort(meas_hit_id, kind="stable")
    pos = np.searchsorted(meas_hit_id[order], hit_ids)
    pos = np.minimum(pos, max(n_meas - 1, 0))
    known = (n_meas > 0) & (meas_hit_id[order][pos] == hit_ids) if n_meas else np.zeros(len(hit_ids), bool)
    if not np.all(known):
        bad = hit_ids[~known]
        raise TrackMLFormatError(
            source,
            f"event {event_id}: {bad.size} hit_id(s) not among the event's hits (first: {bad[:5].tolist()}); "
            "expected the tracks of the events in --events-dir",
        )
    meas_index = order[pos]
    hit_table = hits.set_index("hit_id").loc[meas_hit_id]
    xyz = hit_table[["x", "y", "z"]].to_numpy(np.float64)
    distance = np.sqrt((xyz**2).sum(axis=1))
    radius = np.hypot(xyz[:, 0], xyz[:, 1])
    layer_key = hit_table["volume_id"].to_numpy(np.int64) * 1000 + hit_table["layer_id"].to_numpy(np.int64)

    assigned = track >= 0
    tid, members, starts, sizes = _groups(track[assigned], meas_index[assigned], distance)
    is_candidate = sizes >= 2
    n_layers = _distinct_per_group(members, starts, sizes, layer_key)
    few_hits = is_candidate & (sizes < min_hits)
    few_layers = is_candidate & ~few_hits & (n_layers < 3)
    keep = np.flatnonzero(is_candidate & ~few_hits & ~few_layers)
    dropped = {TOO_FEW_HITS: int(few_hits.sum()), TOO_FEW_LAYERS: int(few_layers.sum())}
    kept_sizes = sizes[keep]
    bounds = np.concatenate(([0], np.cumsum(kept_sizes)))
    # the kept groups' slices of ``members``, concatenated
    kept_members = members[np.repeat(starts[keep] - bounds[:-1], kept_sizes) + np.arange(bounds[-1])]
    bounds = bounds.tolist()
    owner[kept_members] = np.repeat(np.arange(len(keep)), kept_sizes)
    ranks = _layer_ranks(kept_members, kept_sizes, layer_key, radius).tolist()
    flat = kept_members.tolist()
    kept, variants = [], []
    for k in range(len(keep)):
        lo, hi = bounds[k], bounds[k + 1]
        ordered, rank = flat[lo:hi], ranks[lo:hi]
        kept.append(ordered)
        # cached: one event asks for the same few (n_layers, n_variants) a thousand times
        for a, b, c in _cached_triplets(max(rank) + 1, n_variants):
            variants.append([m for m, q in zip(ordered, rank) if q >= c or q == a or q == b])
    return Candidates(
        track_id=tid[keep].astype(np.int64),
        measurements=kept,
        owner=owner,
        variants=variants,
        n_candidates=int(is_candidate.sum()),
        n_unassigned_hits=int((~assigned).sum()) + int((sizes == 1).sum()),
        dropped=dropped,
    )


def _groups(track: np.ndarray, meas: np.ndarray, distance: np.ndarray):
    """(track ids ascending, measurement indices grouped by track id and ordered by distance
    within a group (ties: input order), group starts, group sizes)."""
    order = np.lexsort((distance[meas], track))  # lexsort is stable
    track, meas = track[order], meas[order]
    starts = np.flatnonzero(np.concatenate(([True], track[1:] != track[:-1]))) if len(track) else np.zeros(0, np.int64)
    sizes = np.diff(np.append(starts, len(track)))
    return track[starts], meas, starts, sizes


def _distinct_per_group(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Number of distinct ``key`` values of each group's members."""
    if not len(members):
        return np.zeros(0, np.int64)
    group = np.repeat(np.arange(len(starts)), sizes)
    pairs = np.unique(np.stack([group, key[members]]), axis=1)
    return np.bincount(pairs[0], minlength=len(starts))


def _layer_ranks(members: np.ndarray, sizes: np.ndarray, layer: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Per member, the index of its layer among its group's distinct layers ordered by their
    smallest hit radius (ties: first in the members' order), as in :func:`seed_variants`."""
    if not len(members):
        return np.zeros(0, np.int64)
    group = np.repeat(np.arange(len(sizes)), sizes)
    by_radius = np.lexsort((radius[members], group))  # stable: ties keep the members' order
    pair_key = np.stack([group[by_radius], layer[members][by_radius]])
    pairs, first, inverse = np.unique(pair_key, axis=1, return_index=True, return_inverse=True)
    # pairs are sorted by (group, layer): order each group's layers by first appearance
    order = np.lexsort((first, pairs[0]))
    starts = np.searchsorted(pairs[0][order], pairs[0][order], side="left")
    rank_of_pair = np.empty(len(order), np.int64)
    rank_of_pair[order] = np.arange(len(order)) - starts
    ranks = np.empty(len(members), np.int64)
    ranks[by_radius] = rank_of_pair[inverse.reshape(-1)]
    return ranks


def seed_triplets(n_layers: int, n_variants: int) -> list[tuple[int, int, int]]:
    """The first ``n_variants`` layer triplets (a < b < c < n_layers), innermost ``c`` first,
    then the outer (a, b): (0,1,2), (1,2,3), (0,2,3), (0,1,3), (2,3,4), (1,3,4), ..."""
    out = []
    for c in range(2, n_layers):
        out.extend((a, b, c) for a, b in sorted(combinations(range(c), 2), key=lambda ab: (-ab[0], -ab[1])))
        if len(out) >= n_variants:
            break
    return out[:n_variants]


_cached_triplets = functools.lru_cache(maxsize=None)(seed_triplets)


def seed_variants(
    ordered: np.ndarray, layer: np.ndarray, n_variants: int, radius: np.ndarray | None = None
) -> list[list[int]]:
    """Hit subsets of one candidate that give different starting triplets.

    ACTS sorts a proto track's space points by transverse radius and takes its starting
    parameters from the innermost three on distinct layers (``InnermostTriplet``), whatever
    the order of the hits: one wrong hit among them spoils the fit, and a wrong hit on a
    disk can sit at a smaller radius than every right one. Number the candidate's layers
    0, 1, ... by their smallest hit radius; the variant of triplet (a, b, c)
    (:func:`seed_triplets`) leaves out the hits of the layers below ``c`` other than ``a``
    and ``b``, so ACTS starts from layers a, b, c. Variant 0 is the whole candidate. Every
    variant's fit is then refitted with all the candidate's hits from its fitted parameters
    (:mod:`trackgnn.fitting.chain`).

    Args:
        ordered: int64 [n], measurement indices ordered by distance from the origin.
        layer: int64 [n], a layer key per hit (same order).
        n_variants: most variants to make (>= 1).
        radius: float [n], transverse radius per hit (default: the order of ``ordered``).
    """
    order = np.arange(len(ordered)) if radius is None else np.argsort(radius, kind="stable")
    layers = list(dict.fromkeys(layer[order].tolist()))  # distinct layers, innermost first
    out = []
    for triplet in seed_triplets(len(layers), n_variants):
        skipped = [layers[i] for i in range(triplet[2]) if i not in triplet]
        out.append(ordered[~np.isin(layer, skipped)].tolist())
    return out
