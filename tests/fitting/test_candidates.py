"""Candidates CSV groups -> proto tracks: unassigned hits, pre-fit drops, order, variants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trackgnn.fitting.candidates import event_candidates, seed_triplets, seed_variants
from trackgnn.io.errors import TrackMLFormatError


def _hits(layers, radii):
    """One hit per (volume 8 barrel layer, radius), at phi = 0.3 and z = r / 2."""
    r = np.asarray(radii, dtype=np.float64)
    return pd.DataFrame(
        {
            "hit_id": np.arange(1, len(r) + 1),
            "x": r * np.cos(0.3),
            "y": r * np.sin(0.3),
            "z": r / 2,
            "volume_id": 8,
            "layer_id": np.asarray(layers),
            "module_id": 1,
        }
    )


def test_groups_drops_and_distance_order():
    # hits 1-4: track 7; 5-8: track 8; 9-13: track 9 (one layer); 14-15: track 10 (2 hits);
    # 16: singleton track 11; 17: negative label (noise)
    hits = _hits(
        layers=[2, 4, 6, 8, 2, 4, 6, 8, 2, 2, 2, 2, 2, 4, 6, 8, 2],
        radii=[32, 72, 116, 172, 33, 73, 117, 173, 30, 31, 32, 33, 34, 70, 110, 170, 35],
    )
    meas_hit_id = hits["hit_id"].to_numpy()[::-1].copy()  # measurement order differs from hit order
    labels = pd.DataFrame(
        {
            "hit_id": [4, 2, 3, 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],  # track 7 listed outside-in
            "track_id": [7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 9, 10, 10, 11, -3],
        }
    )
    cands = event_candidates(labels, meas_hit_id, hits, min_hits=4, source="c.csv", event_id=5)
    assert list(cands.track_id) == [7, 8]
    assert cands.n_candidates == 4  # 7, 8, 9, 10 (groups of >= 2 hits)
    assert cands.dropped == {"too_few_hits": 1, "too_few_layers": 1}
    assert cands.n_unassigned_hits == 2  # singleton 11 and the negative label
    table = hits.set_index("hit_id")
    for cand, first in zip(cands.measurements, (1, 5)):
        ids = meas_hit_id[cand]
        r = np.hypot(table.loc[ids, "x"], table.loc[ids, "y"]).to_numpy()
        assert np.all(np.diff(r) > 0) and ids[0] == first and len(ids) == 4
    assert np.count_nonzero(cands.owner >= 0) == 8
    assert set(cands.owner[cands.measurements[1]]) == {1}
    assert cands.variants[0] == cands.measurements[0]  # variant 0: the whole candidate


def test_unknown_hit_names_file_and_event():
    hits = _hits([2, 4, 6], [32, 72, 116])
    labels = pd.DataFrame({"hit_id": [1, 2, 99], "track_id": [0, 0, 0]})
    with pytest.raises(TrackMLFormatError, match=r"c\.csv: event 5: 1 hit_id\(s\) not among the event's hits .*99"):
        event_candidates(labels, hits["hit_id"].to_numpy(), hits, 3, source="c.csv", event_id=5)


def test_no_labels_gives_no_candidates():
    hits = _hits([2, 4, 6], [32, 72, 116])
    empty = pd.DataFrame({"hit_id": np.zeros(0, np.int64), "track_id": np.zeros(0, np.int64)})
    cands = event_candidates(empty, hits["hit_id"].to_numpy(), hits, 3)
    assert len(cands) == 0 and cands.n_candidates == 0 and not cands.variants


def test_seed_triplets_order():
    assert seed_triplets(10, 7) == [(0, 1, 2), (1, 2, 3), (0, 2, 3), (0, 1, 3), (2, 3, 4), (1, 3, 4), (1, 2, 4)]
    assert seed_triplets(3, 5) == [(0, 1, 2)]  # three layers: one triplet
    assert len(seed_triplets(5, 100)) == 10  # C(5, 3)


def test_seed_variants_skip_inner_layers_by_radius():
    ordered = np.array([10, 11, 12, 13, 14, 15])
    layer = np.array([1, 1, 2, 3, 4, 5])  # two hits on the innermost layer
    variants = seed_variants(ordered, layer, 4)
    # triplets (0,1,2): all; (1,2,3): without layer 1; (0,2,3): without layer 2; (0,1,3): without 3
    assert variants == [[10, 11, 12, 13, 14, 15], [12, 13, 14, 15], [10, 11, 13, 14, 15], [10, 11, 12, 14, 15]]
    assert seed_variants(ordered, layer, 1) == [ordered.tolist()]
    # a hit on layer 4 at the smallest radius (a wrong hit on a disk) counts as the innermost layer
    radius = np.array([30.0, 31.0, 70.0, 110.0, 20.0, 150.0])
    assert seed_variants(ordered, layer, 2, radius) == [ordered.tolist(), [10, 11, 12, 13, 15]]


def _reference(labels, meas_hit_id, hits, min_hits, n_variants):
    """Candidate by candidate, as the docstrings say: groups by track id, distance order
    (ties: input order), drops, and :func:`seed_variants` of each kept candidate."""
    table = hits.set_index("hit_id").loc[meas_hit_id]
    xyz = table[["x", "y", "z"]].to_numpy()
    distance, radius = np.sqrt((xyz**2).sum(axis=1)), np.hypot(xyz[:, 0], xyz[:, 1])
    layer = table["volume_id"].to_numpy() * 1000 + table["layer_id"].to_numpy()
    index = {h: i for i, h in enumerate(meas_hit_id.tolist())}
    kept, variants, dropped, unassigned = [], [], {"too_few_hits": 0, "too_few_layers": 0}, 0
    for tid in sorted(set(labels["track_id"].tolist())):
        idx = np.array([index[h] for h, t in zip(labels["hit_id"], labels["track_id"]) if t == tid])
        if tid < 0 or len(idx) < 2:
            unassigned += len(idx)
            continue
        if len(idx) < min_hits or len(set(layer[idx].tolist())) < 3:
            dropped["too_few_hits" if len(idx) < min_hits else "too_few_layers"] += 1
            continue
        idx = idx[np.argsort(distance[idx], kind="stable")]
        kept.append((tid, idx.tolist()))
        variants.extend(seed_variants(idx, layer[idx], n_variants, radius[idx]))
    return kept, variants, dropped, unassigned


@pytest.mark.parametrize("seed", range(4))
def test_grouping_matches_the_candidate_by_candidate_reference(seed):
    rng = np.random.default_rng(seed)
    n = 400
    # few distinct radii and layers: ties in distance and radius, layers shared by hits,
    # candidates on one or two layers, singletons and negative labels
    radii = rng.choice([30.0, 32.0, 72.0, 116.0, 172.0, 260.0], size=n)
    hits = _hits(layers=rng.integers(1, 7, size=n) * 2, radii=radii)
    hits["z"] = rng.choice([0.0, 10.0, 50.0], size=n)
    meas_hit_id = rng.permutation(hits["hit_id"].to_numpy())
    chosen = rng.permutation(hits["hit_id"].to_numpy())[: n - 30]
    labels = pd.DataFrame({"hit_id": chosen, "track_id": rng.integers(-3, 60, size=len(chosen))})
    for min_hits, n_variants in ((3, 1), (4, 5), (5, 12)):
        cands = event_candidates(labels, meas_hit_id, hits, min_hits, n_variants=n_variants)
        kept, variants, dropped, unassigned = _reference(labels, meas_hit_id, hits, min_hits, n_variants)
        assert list(cands.track_id) == [tid for tid, _ in kept]
        assert cands.measurements == [idx for _, idx in kept]
        assert cands.variants == variants
        assert cands.dropped == dropped and cands.n_unassigned_hits == unassigned
        assert cands.n_candidates == len(kept) + sum(dropped.values())
        owner = np.full(len(meas_hit_id), -1)
        for c, (_, idx) in enumerate(kept):
            owner[idx] = c
        assert np.array_equal(cands.owner, owner)
    assert sum(dropped.values()) > 0 and len(kept) > 5
