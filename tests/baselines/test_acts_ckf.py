"""ACTS seeding + CKF on simulated events: efficiency, output contract, no truth needed.

Measured with the default config (mu 10, ~700 particles per event), pT > 1 GeV targets:
efficiency 0.947 / fake 0.0016 / duplicates 0 on exactly these 3 events (seed 11, 209
targets), 0.973 / 0 / 0 on 6 other events (seed 42). The floors leave room for spread.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("acts")

from trackgnn.baselines.config import ActsCkfConfig
from trackgnn.baselines.measurements import hits_to_measurements
from trackgnn.baselines.run import reconstruct_events
from trackgnn.cli import main
from trackgnn.evaluation import evaluate_events
from trackgnn.io import read_event
from trackgnn.io.errors import TrackMLFormatError
from trackgnn.metrics import TargetCuts
from trackgnn.simulation import simulate_events
from trackgnn.tracks import read_tracks

EVENTS = [0, 1, 2]
EFFICIENCY_FLOOR = 0.9
FAKE_CEILING = 0.03
DUPLICATE_CEILING = 0.05


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("ckf")
    simulate_events({}, base / "events", EVENTS, seed=11, progress=False)
    config = base / "config.yaml"
    config.write_text("acts_ckf: {threads: 1}\n")
    code = main(
        [
            "acts-ckf",
            "--config",
            str(config),
            "--events-dir",
            str(base / "events"),
            "--out",
            str(base / "tracks.csv"),
            "--timing",
            str(base / "timing.json"),
        ]
    )
    assert code == 0
    return base


def test_efficiency_fake_and_duplicate_rates(run):
    tracks = read_tracks(run / "tracks.csv")
    result = evaluate_events([(tracks, run / "events")], TargetCuts(pt_min=1.0, eta_max=4.0, min_hits=5))["target"]
    assert result["n_target_particles"] > 100
    assert result["efficiency"] > EFFICIENCY_FLOOR, result
    assert result["fake_rate"] < FAKE_CEILING, result
    assert result["duplicate_rate"] < DUPLICATE_CEILING, result


def test_every_hit_exactly_once_and_real_tracks(run):
    tracks = read_tracks(run / "tracks.csv")  # raises on a hit listed twice
    assert sorted(tracks["event_id"].unique()) == EVENTS
    for event_id in EVENTS:
        hits = read_event(run / "events", event_id, parts=("hits",)).hits
        labels = tracks[tracks["event_id"] == event_id]
        assert len(labels) == len(hits)
        assert set(labels["hit_id"]) == set(hits["hit_id"])
        sizes = labels.groupby("track_id").size()
        assert (sizes >= 7).sum() > 50  # real multi-hit tracks, not only singletons


def test_timing_json(run):
    timing = json.loads((run / "timing.json").read_text())
    assert timing["n_events"] == len(EVENTS) and len(timing["per_event"]) == len(EVENTS)
    assert 0 < timing["seconds_per_event"] < 30
    assert all(e["reco_s"] >= e["acts_s"] > 0 for e in timing["per_event"])
    assert timing["config"]["min_measurements"] == ActsCkfConfig().min_measurements


def test_hits_only_event_gives_the_same_tracks(run, tmp_path):
    # no truth, particles, cells or detectors.csv: the reconstruction reads hits only
    shutil.copy(run / "events" / "event000000001-hits.csv", tmp_path)
    frames, _ = reconstruct_events(tmp_path, ActsCkfConfig())
    ours = frames[0].set_index("hit_id")["track_id"]
    full = read_tracks(run / "tracks.csv")
    full = full[full["event_id"] == 1].set_index("hit_id")["track_id"]
    pd.testing.assert_series_equal(ours.sort_index(), full.sort_index(), check_names=False, check_dtype=False)


def test_local_coordinates_lie_on_the_modules(run):
    from trackgnn.simulation.geometry import detectors_table

    modules = detectors_table()
    hits = read_event(run / "events", 0, parts=("hits",)).hits
    meas = hits_to_measurements(hits, modules)
    assert len(meas) == len(hits) and np.all(np.diff(meas.geometry_id.astype(np.float64)) >= 0)
    mod = modules.set_index(["volume_id", "layer_id", "module_id"]).loc[
        list(
            zip(
                hits.set_index("hit_id").loc[meas.hit_id, "volume_id"],
                hits.set_index("hit_id").loc[meas.hit_id, "layer_id"],
                hits.set_index("hit_id").loc[meas.hit_id, "module_id"],
            )
        )
    ]
    assert np.all(np.abs(meas.local[:, 1]) <= mod["module_hv"].to_numpy() + 1e-3)
    assert np.all(np.abs(meas.local[:, 0]) <= mod["module_maxhu"].to_numpy() + 1e-3)
    pixel = mod["pitch_u"].to_numpy() == 0.05
    assert np.allclose(meas.variance[pixel, 0], 0.05**2 / 12)


def test_bad_module_and_off_surface_hits_name_file_and_line(run, tmp_path):
    from trackgnn.simulation.geometry import detectors_table

    hits = read_event(run / "events", 0, parts=("hits",)).hits.copy()
    bad = hits.copy()
    bad.loc[3, "module_id"] = 99999
    with pytest.raises(TrackMLFormatError, match=r"hits\.csv: line 5: hit_id .* module 99999"):
        hits_to_measurements(bad, detectors_table(), source=tmp_path / "hits.csv")
    off = hits.copy()
    off.loc[2, "x"] += 25.0
    off.loc[2, "y"] += 25.0
    off.loc[2, "z"] += 25.0
    with pytest.raises(TrackMLFormatError, match=r"line 4: .* from the plane of its module"):
        hits_to_measurements(off, detectors_table(), source=tmp_path / "hits.csv")


def test_cli_reports_bad_config(tmp_path, capsys):
    config = tmp_path / "bad.yaml"
    config.write_text("acts_ckf: {seed_min_pt: 1}\n")
    code = main(["acts-ckf", "--config", str(config), "--events-dir", str(tmp_path), "--out", str(tmp_path / "t.csv")])
    assert code == 1
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "unknown key(s) 'acts_ckf.seed_min_pt'" in err and "seed_min_pt_gev" in err
    assert not (tmp_path / "t.csv").exists()


def test_cli_bad_hits_file_fails_cleanly_without_output(run, tmp_path, capsys):
    hits = pd.read_csv(run / "events" / "event000000000-hits.csv")
    hits.loc[10, "module_id"] = 77777
    hits.to_csv(tmp_path / "event000000007-hits.csv", index=False)
    config = tmp_path / "c.yaml"
    config.write_text("acts_ckf: {}\n")
    out = tmp_path / "tracks.csv"
    code = main(["acts-ckf", "--config", str(config), "--events-dir", str(tmp_path), "--out", str(out)])
    assert code == 1
    assert "event000000007-hits.csv: line 12: hit_id" in capsys.readouterr().err
    assert not out.exists()


def test_official_numbering_is_translated_to_acts(run, tmp_path, monkeypatch, real_trackml):
    # the simulated event renumbered as official TrackML files are, with the official
    # detectors.csv next to it, reconstructs exactly as the original
    from trackgnn.io.module_identity import module_identity
    from trackgnn.simulation.geometry import detectors_table

    monkeypatch.setenv("TRACKGNN_CACHE_DIR", str(tmp_path / "cache"))
    mapping = module_identity(real_trackml / "detectors.csv.gz", detectors_table())
    hits = pd.read_csv(run / "events" / "event000000001-hits.csv")
    official = hits.assign(module_id=mapping.acts_to_official(hits["volume_id"], hits["layer_id"], hits["module_id"]))
    assert (official["module_id"] != hits["module_id"]).mean() > 0.05  # endcap hits renumbered
    events = tmp_path / "events"
    events.mkdir()
    official.to_csv(events / "event000000001-hits.csv", index=False)
    with pytest.raises(TrackMLFormatError, match="official TrackML endcap ids differ"):
        reconstruct_events(events, ActsCkfConfig())  # no detectors.csv: ACTS numbering assumed
    (events / "detectors.csv.gz").symlink_to(real_trackml / "detectors.csv.gz")
    frames, timing = reconstruct_events(events, ActsCkfConfig())
    assert timing["module_numbering"] == "official"
    ours = frames[0].set_index("hit_id")["track_id"]
    full = read_tracks(run / "tracks.csv")
    full = full[full["event_id"] == 1].set_index("hit_id")["track_id"]
    pd.testing.assert_series_equal(ours.sort_index(), full.sort_index(), check_names=False, check_dtype=False)


def test_simulated_detectors_file_means_acts_numbering(run, tmp_path, monkeypatch):
    from trackgnn.simulation import write_geometry

    monkeypatch.setenv("TRACKGNN_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copy(run / "events" / "event000000001-hits.csv", tmp_path)
    write_geometry(tmp_path)
    frames, timing = reconstruct_events(tmp_path, ActsCkfConfig())
    assert timing["module_numbering"] == "acts"
    full = read_tracks(run / "tracks.csv")
    assert len(frames[0]) == int((full["event_id"] == 1).sum())


@pytest.mark.slow
def test_real_event_without_truth(real_trackml, tmp_path, monkeypatch):
    # official hits (no truth file) of a real mu = 200 event: the CKF runs and labels every hit
    monkeypatch.setenv("TRACKGNN_CACHE_DIR", str(tmp_path / "cache"))
    events = tmp_path / "real"
    assert (
        main(
            [
                "link-events",
                "--input",
                str(real_trackml / "train"),
                "--event-ids",
                "1001",
                "--detectors",
                str(real_trackml / "detectors.csv.gz"),
                "--out",
                str(events),
            ]
        )
        == 0
    )
    config = tmp_path / "c.yaml"
    config.write_text("acts_ckf: {threads: 2}\n")
    out = tmp_path / "tracks.csv"
    assert (
        main(
            [
                "acts-ckf",
                "--config",
                str(config),
                "--events-dir",
                str(events),
                "--out",
                str(out),
                "--timing",
                str(tmp_path / "timing.json"),
            ]
        )
        == 0
    )
    tracks = read_tracks(out)
    hits = read_event(events, 1001, parts=("hits",)).hits
    assert len(tracks) == len(hits) and set(tracks["hit_id"]) == set(hits["hit_id"])
    sizes = tracks.groupby("track_id").size()
    assert (sizes >= 7).sum() > 2000  # 2,610 particles above 0.5 GeV with >= 7 hits in this event
    on_track = tracks.set_index("hit_id")["track_id"].map(sizes).reindex(hits["hit_id"]).to_numpy() >= 7
    endcap = hits["volume_id"].isin([7, 9]).to_numpy()
    assert on_track[endcap].mean() > 0.4  # the translated endcap modules carry tracks
    timing = json.loads((tmp_path / "timing.json").read_text())
    assert timing["module_numbering"] == "official"


def test_detectors_found_through_linked_hits(tmp_path):
    from trackgnn.baselines.run import find_detectors

    source = tmp_path / "data" / "train"
    source.mkdir(parents=True)
    (source / "event000000001-hits.csv").write_text("hit_id\n")
    (tmp_path / "data" / "detectors.csv.gz").write_bytes(b"")
    events = tmp_path / "run" / "events" / "shard"
    events.mkdir(parents=True)
    assert find_detectors(events) is None
    (events / "event000000001-hits.csv").symlink_to(source / "event000000001-hits.csv")
    assert find_detectors(events) == tmp_path / "data" / "detectors.csv.gz"
    (events.parent / "detectors.csv").write_text("")
    assert find_detectors(events) == events.parent / "detectors.csv"
    with pytest.raises(FileNotFoundError, match="--detectors: .*nope.csv does not exist"):
        find_detectors(events, tmp_path / "nope.csv")
