"""Tests of the ACTS-based event simulation (small events; geometry built once per session)."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("acts")

from trackgnn.io.detectors import read_detectors
from trackgnn.io.trackml import read_event
from trackgnn.simulation import SimulationConfig, simulate_events, write_geometry

SMALL = {"mu": 2.0}
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "trackml" / "train"
TRACKML_VOLUMES = {7, 8, 9, 12, 13, 14, 16, 17, 18}


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("event"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("sim")
    simulate_events(SMALL, base / "all", [0, 1, 2], seed=5, progress=False)
    simulate_events(SMALL, base / "shard", [0, 1], seed=5, progress=False)
    simulate_events(SMALL, base / "shard", [2], seed=5, progress=False)
    simulate_events(SMALL, base / "other", [0], seed=6, progress=False)
    write_geometry(base / "all")
    return base


def test_same_seed_identical_and_shards_independent(runs):
    names = _files(runs / "all")
    assert names == _files(runs / "shard") and len(names) == 12
    match, mismatch, errors = filecmp.cmpfiles(runs / "all", runs / "shard", names, shallow=False)
    assert mismatch == [] and errors == []


def test_different_seed_differs(runs):
    assert not filecmp.cmp(
        runs / "all" / "event000000000-hits.csv", runs / "other" / "event000000000-hits.csv", shallow=False
    )


@pytest.mark.parametrize("event_id", [0, 1, 2])
def test_contract(runs, event_id):
    event = read_event(runs / "all", event_id, require=("hits", "cells", "particles", "truth"))
    hits, truth, cells, particles = event.hits, event.truth, event.cells, event.particles
    assert hits["hit_id"].min() == 1 and hits["hit_id"].is_unique
    assert set(truth["hit_id"]) == set(hits["hit_id"])
    assert set(hits["volume_id"]) <= TRACKML_VOLUMES and len(set(hits["volume_id"])) >= 6
    assert np.isin(cells["hit_id"], hits["hit_id"]).all() and set(cells["hit_id"]) == set(hits["hit_id"])
    assert truth["weight"].sum() == pytest.approx(1.0, abs=1e-4)
    noise = truth["particle_id"] == 0
    assert noise.any() and (truth.loc[noise, "weight"] == 0).all()
    counts = truth.loc[~noise, "particle_id"].value_counts()
    nhits = particles.set_index("particle_id")["nhits"]
    assert (nhits.reindex(counts.index) == counts).all()
    assert nhits.sum() == (~noise).sum()


def test_hits_lie_on_their_modules(runs):
    det = read_detectors(runs / "all" / "detectors.csv").set_index(["volume_id", "layer_id", "module_id"])
    hits = read_event(runs / "all", 0).hits
    mod = det.loc[list(zip(hits.volume_id, hits.layer_id, hits.module_id))]
    rot = mod[[f"rot_{a}{b}" for a in "xyz" for b in "uvw"]].to_numpy().reshape(-1, 3, 3)
    delta = hits[["x", "y", "z"]].to_numpy(np.float64) - mod[["cx", "cy", "cz"]].to_numpy()
    local = np.einsum("nij,ni->nj", rot, delta)  # R^T (x - c)
    assert np.abs(local[:, 2]).max() < 0.01
    assert (np.abs(local[:, 1]) <= mod["module_hv"].to_numpy() + 0.01).all()
    assert (np.abs(local[:, 0]) <= mod["module_maxhu"].to_numpy() + 0.01).all()


def test_pixel_barrel_radii(runs):
    hits = pd.concat([read_event(runs / "all", e).hits for e in (0, 1, 2)])
    barrel = hits[hits.volume_id == 8]
    r = np.hypot(barrel.x, barrel.y)
    medians = barrel.assign(r=r).groupby("layer_id").r.median()
    assert list(medians.index) == [2, 4, 6, 8]
    assert np.allclose(medians.to_numpy(), [32, 72, 116, 172], atol=4)


def _particles_file(path: Path) -> Path:
    gen = 3 << 24  # a non-zero generation field: Fatras would refuse it without renumbering
    table = pd.DataFrame(
        {
            "particle_id": [(7 << 52) | (11 << 36) | gen, (7 << 52) | (12 << 36), (2 << 52) | (1 << 36)],
            "vx": [0.0, 0.01, 0.0],
            "vy": [0.0, 0.0, -0.01],
            "vz": [1.0, -20.0, 5.0],
            "px": [2.0, -0.3, 0.05],
            "py": [0.0, 0.7, 0.05],
            "pz": [0.5, 0.2, 0.1],
            "q": [1, -1, 1],
            "nhits": [0, 0, 0],
        }
    )
    table.to_csv(path, index=False)
    return path


def test_replay_keeps_ids_and_helix_radius(tmp_path):
    source = _particles_file(tmp_path / "event000000042-particles.csv")
    cfg = {"source": "particles", "noise": 0.0, "module_inefficiency": 0.0, "material": False}
    simulate_events(cfg, tmp_path / "out", [4], seed=1, particles=source, progress=False)
    event = read_event(tmp_path / "out", 4, require=("hits", "truth", "particles"))
    original = pd.read_csv(source)
    assert set(original.particle_id) <= set(event.particles.particle_id)
    # below sim_pt_min_gev (0.15 GeV): listed, but no hits
    low = event.particles.set_index("particle_id").loc[original.particle_id.iat[2]]
    assert low.nhits == 0
    pid = original.particle_id.iat[0]
    xy = event.truth.loc[event.truth.particle_id == pid, ["tx", "ty"]].to_numpy(np.float64)
    assert len(xy) >= 8
    # algebraic circle fit x^2 + y^2 + D x + E y + F = 0
    a = np.column_stack([xy[:, 0], xy[:, 1], np.ones(len(xy))])
    d, e, f = np.linalg.lstsq(a, -(xy**2).sum(axis=1), rcond=None)[0]
    radius = np.sqrt(d * d / 4 + e * e / 4 - f)
    expected = 1000 * 2.0 / (0.2998 * 2.0)
    assert radius == pytest.approx(expected, rel=0.02)


@pytest.mark.skipif(not REAL.is_dir(), reason="real TrackML data not available")
def test_replay_real_event_keeps_original_ids(tmp_path):
    source = REAL / "event000001001-particles.csv.gz"
    simulate_events({"source": "particles"}, tmp_path, [1001], seed=3, particles=source, progress=False)
    event = read_event(tmp_path, 1001, require=("hits", "truth", "particles"))
    original = pd.read_csv(source)
    assert set(original.particle_id) <= set(event.particles.particle_id)
    assert 60_000 < len(event.hits) < 140_000
    signal = event.truth[event.truth.particle_id != 0]
    assert np.isin(signal.particle_id, original.particle_id).mean() > 0.95


@pytest.mark.parametrize(
    "cfg, key",
    [
        ({"mu": "lots"}, "simulation.mu"),
        ({"mu": -1}, "simulation.mu"),
        ({"source": "geant4"}, "simulation.source"),
        ({"noise": {5: 0.1}}, "simulation.noise"),
        ({"module_inefficiency": 1.5}, "simulation.module_inefficiency"),
        ({"materials": True}, "materials"),
        ({"material": "yes"}, "simulation.material"),
    ],
)
def test_config_errors_name_the_key(cfg, key):
    with pytest.raises(ValueError, match=key.replace(".", r"\.")):
        SimulationConfig.from_dict(cfg)


def test_config_defaults_and_per_volume():
    cfg = SimulationConfig.from_dict({"noise": {17: 2.0}, "module_inefficiency": 0.05})
    assert cfg.p_min_gev <= 0.05 and cfg.source == "pileup"
    assert cfg.per_volume("noise")[17] == 2.0 and cfg.per_volume("noise")[8] == 0.0
    assert set(cfg.per_volume("module_inefficiency").values()) == {0.05}


def test_particles_source_requires_a_path(tmp_path):
    with pytest.raises(ValueError, match="particles"):
        simulate_events({"source": "particles"}, tmp_path, [0], seed=1, progress=False)


def test_pythia8_source(tmp_path):
    pytest.importorskip("pythia8mc")
    simulate_events({"source": "pythia8", "mu": 1.0}, tmp_path, [0], seed=2, progress=False)
    event = read_event(tmp_path, 0, require=("hits", "truth", "particles"))
    assert len(event.particles) > 50 and (event.truth.particle_id != 0).sum() > 200
