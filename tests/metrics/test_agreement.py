import numpy as np
import pandas as pd
import pytest

from trackgnn.metrics.agreement import agreement, matched_fraction


def frame(event_id, tracks):
    rows = [(event_id, h, t) for t, hits in enumerate(tracks) for h in hits]
    return pd.DataFrame(rows, columns=["event_id", "hit_id", "track_id"])


def test_counts_majority_matches_both_ways():
    reference = frame(1, [range(0, 10), range(10, 20), range(20, 24)])  # the last is too short
    # track 0 holds 6 of reference 0's 10 hits; reference 1 is split 5 + 5 (no majority)
    tracks = frame(1, [list(range(0, 6)) + [50, 51], range(10, 15), range(15, 20), range(30, 40)])
    matched, counted = matched_fraction(tracks, reference, min_hits=7)
    assert (matched, counted) == (1, 2)
    result = agreement(tracks, reference, min_hits=5)
    # reference tracks of >= 5 hits: 0 (matched), 1 (split) -> 1/2; tracks of >= 5 hits: 0 (6 of 8 on ref 0),
    # 1 and 2 (all on ref 1), 3 (on nothing) -> 3/4
    assert result["reference_matched"] == pytest.approx(0.5)
    assert result["tracks_matched"] == pytest.approx(0.75)


def test_events_are_kept_apart():
    reference = pd.concat([frame(1, [range(10)]), frame(2, [range(10)])])
    tracks = frame(1, [range(10)])
    assert matched_fraction(tracks, reference, min_hits=7) == (1, 2)


def test_identical_sets_agree_fully_and_empty_is_nan():
    rng = np.random.default_rng(0)
    hits = rng.permutation(200)
    reference = frame(3, [hits[i : i + 10] for i in range(0, 200, 10)])
    result = agreement(reference, reference)
    assert result["reference_matched"] == 1.0 and result["tracks_matched"] == 1.0
    empty = agreement(reference.iloc[:0], reference.iloc[:0])
    assert np.isnan(empty["reference_matched"])
