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


def helix_hits(event_id, first_hit, radius_mm, n=10, sign=1.0):
    """Hits on a circle through the origin of the given radius (the transverse track of a pT)."""
    angle = np.linspace(0.05, 0.6, n)  # arc from the beam line outwards
    cx = radius_mm
    x = cx - radius_mm * np.cos(angle)
    y = sign * radius_mm * np.sin(angle)
    return pd.DataFrame({"event_id": event_id, "hit_id": np.arange(first_hit, first_hit + n), "x": x, "y": y})


def test_pt_cut_counts_only_tracks_above_it_both_ways():
    # pT = 0.2998 * B * R: in 2 T, R = 1667 mm is 1 GeV; tracks of 2 GeV and 0.5 GeV
    fast = helix_hits(1, 0, 2 * 1667.8)
    slow = helix_hits(1, 100, 0.5 * 1667.8, sign=-1.0)
    hits = pd.concat([fast, slow], ignore_index=True)
    reference = frame(1, [range(0, 10), range(100, 110)])
    # the method finds only the slow track; and one fast fake track of its own hits
    tracks = frame(1, [range(100, 110)])
    everything = agreement(tracks, reference, hits=hits, pt_min=0.0)
    assert everything["reference_matched"] == pytest.approx(0.5)
    above = agreement(tracks, reference, hits=hits, pt_min=1.0)
    assert (above["n_reference_tracks"], above["reference_matched"]) == (1, 0.0)
    assert above["n_tracks"] == 0 and np.isnan(above["tracks_matched"])
    assert above["pt_min"] == 1.0


def test_track_pt_recovers_the_circle_radius():
    from trackgnn.metrics.agreement import track_pt

    hits = helix_hits(4, 0, 1667.8 * 3)
    pt = track_pt(frame(4, [range(10)]), hits, bfield_t=2.0)
    assert pt.loc[(4, 0)] == pytest.approx(3.0, rel=1e-4)


def test_pt_cut_needs_hits_and_names_a_missing_hit():
    reference = frame(1, [range(10)])
    with pytest.raises(ValueError, match="hits"):
        agreement(reference, reference, pt_min=1.0)
    with pytest.raises(ValueError, match="hit_id 9"):
        agreement(reference, reference, hits=helix_hits(1, 0, 3000.0, n=9), pt_min=1.0)


def test_command_reads_the_events_hits_for_the_pt_cut(tmp_path, capsys):
    import json

    from trackgnn.cli import main
    from trackgnn.io.trackml import write_event

    fast = helix_hits(7, 1, 2 * 1667.8)
    slow = helix_hits(7, 101, 0.5 * 1667.8, sign=-1.0)
    hits = pd.concat([fast, slow], ignore_index=True).drop(columns="event_id")
    hits = hits.assign(z=0.0, volume_id=8, layer_id=2, module_id=1)
    write_event(tmp_path / "events", 7, hits)
    frame(7, [range(1, 11), range(101, 111)]).to_csv(tmp_path / "ckf.csv", index=False)
    frame(7, [range(1, 11)]).to_csv(tmp_path / "gnn.csv", index=False)
    base = ["agreement", "--tracks", str(tmp_path / "gnn.csv"), "--reference", str(tmp_path / "ckf.csv")]
    assert main([*base, "--pt-min", "1"]) == 1  # no --events: refused, with the reason
    assert "--events" in capsys.readouterr().err
    assert main([*base, "--pt-min", "1", "--events", str(tmp_path / "events"), "--out", str(tmp_path / "a.json")]) == 0
    result = json.loads((tmp_path / "a.json").read_text())
    # only the 2 GeV track counts, and the GNN track covers it
    assert (result["n_reference_tracks"], result["reference_matched"]) == (1, 1.0)
    assert (result["n_tracks"], result["tracks_matched"]) == (1, 1.0)
