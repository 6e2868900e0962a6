import json

import numpy as np
import pytest
import yaml

from tests.graph_construction.module_map import synthetic
from trackgnn.cli import main
from trackgnn.data import read_store, write_store
from trackgnn.graph_construction.module_map.mapfile import load_map
from trackgnn.io import write_detectors


@pytest.fixture
def files(tmp_path):
    write_store(tmp_path / "train.h5", {s: synthetic.event(s) for s in range(3)}, {"feature_names": ["r", "phi", "z"]})
    test = {10: synthetic.event(10), 11: synthetic.event(11)}
    test[11]["module_id"][0] = 999  # a module the map cannot know
    write_store(tmp_path / "test.h5", test, {"feature_names": ["r", "phi", "z"]})
    write_detectors(tmp_path / "detectors.csv", synthetic.detectors())
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        yaml.safe_dump({"module_map": {"margin": 0.0, "pt_min": 0.9}, "graph_construction": {"method": "module_map"}})
    )
    return tmp_path, cfg


def test_build_map_then_graphs(files):
    tmp, cfg = files
    det = str(tmp / "detectors.csv")
    assert (
        main(
            [
                "build-module-map",
                "--config",
                str(cfg),
                "--events",
                str(tmp / "train.h5"),
                "--n-events",
                "2",
                "--detectors",
                det,
                "--out",
                str(tmp / "map.h5"),
            ]
        )
        == 0
    )
    mmap = load_map(tmp / "map.h5")
    assert mmap.attrs["n_events"] == 2 and mmap.attrs["pt_min"] == 0.9 and mmap.attrs["margin"] == 0.0
    assert (
        main(
            [
                "build-graphs-module-map",
                "--config",
                str(cfg),
                "--map",
                str(tmp / "map.h5"),
                "--input",
                str(tmp / "test.h5"),
                "--detectors",
                det,
                "--out",
                str(tmp / "graphs.h5"),
                "--metrics",
                str(tmp / "m.json"),
            ]
        )
        == 0
    )
    _, events = read_store(tmp / "graphs.h5")
    metrics = json.loads((tmp / "m.json").read_text())
    assert metrics["total"]["n_unseen_hits"] == 1 and metrics["events"]["11"]["n_unseen_hits"] == 1
    for event_id, arrays in events.items():
        e = arrays["edge_index"]
        assert e.dtype == np.int64 and e.shape[0] == 2 and len(arrays["y"]) == e.shape[1]
        rho = np.hypot(arrays["r"], arrays["z"])
        assert np.all(rho[e[0]] <= rho[e[1]])  # oriented inner -> outer as clean_edges does
        assert metrics["events"][str(event_id)]["n_edges"] == e.shape[1]
    assert 0 < metrics["total"]["efficiency"] <= 1


def test_map_for_another_geometry_is_refused(files, capsys):
    tmp, cfg = files
    assert (
        main(
            [
                "build-module-map",
                "--config",
                str(cfg),
                "--events",
                str(tmp / "train.h5"),
                "--n-events",
                "1",
                "--detectors",
                str(tmp / "detectors.csv"),
                "--out",
                str(tmp / "map.h5"),
            ]
        )
        == 0
    )
    moved = synthetic.detectors()
    moved.loc[0, "cz"] += 2.0
    write_detectors(tmp / "moved.csv", moved)
    assert (
        main(
            [
                "build-graphs-module-map",
                "--config",
                str(cfg),
                "--map",
                str(tmp / "map.h5"),
                "--input",
                str(tmp / "test.h5"),
                "--detectors",
                str(tmp / "moved.csv"),
                "--out",
                str(tmp / "g.h5"),
            ]
        )
        != 0
    )
    assert "map.h5: module map built for geometry" in capsys.readouterr().err
    assert not (tmp / "g.h5").exists()


def test_too_few_events_is_an_error(files, capsys):
    tmp, cfg = files
    assert (
        main(
            [
                "build-module-map",
                "--config",
                str(cfg),
                "--events",
                str(tmp / "train.h5"),
                "--n-events",
                "5",
                "--detectors",
                str(tmp / "detectors.csv"),
                "--out",
                str(tmp / "map.h5"),
            ]
        )
        != 0
    )
    assert "5 events asked for, only 3" in capsys.readouterr().err
    assert not (tmp / "map.h5").exists()


def test_remap_geometry_flag_carries_the_map_over(files, capsys):
    from tests.graph_construction.module_map.test_remap import _renumbered

    tmp, cfg = files
    assert (
        main(
            [
                "build-module-map",
                "--config",
                str(cfg),
                "--events",
                str(tmp / "train.h5"),
                "--n-events",
                "3",
                "--detectors",
                str(tmp / "detectors.csv"),
                "--out",
                str(tmp / "map.h5"),
            ]
        )
        == 0
    )
    target, translate = _renumbered()
    write_detectors(tmp / "renumbered.csv", target)
    _, events = read_store(tmp / "train.h5")
    for arrays in events.values():
        arrays.pop("_attrs")
        arrays["module_id"] = np.array(
            [translate[(l, m)] for l, m in zip(arrays["layer_id"], arrays["module_id"])], np.int32
        )
    write_store(tmp / "renumbered.h5", events)
    args = [
        "build-graphs-module-map",
        "--config",
        str(cfg),
        "--map",
        str(tmp / "map.h5"),
        "--input",
        str(tmp / "renumbered.h5"),
        "--detectors",
        str(tmp / "renumbered.csv"),
        "--out",
        str(tmp / "g.h5"),
        "--metrics",
        str(tmp / "m.json"),
    ]
    assert main(args) != 0 and "--remap-geometry" in capsys.readouterr().err
    assert main(args + ["--remap-geometry"]) == 0
    metrics = json.loads((tmp / "m.json").read_text())
    assert metrics["total"]["efficiency"] == 1.0  # the map's own events, margin 0
    assert metrics["module_map"]["remapped_from"] == load_map(tmp / "map.h5").attrs["geometry_digest"]
    # the workflow's way: --events-dir finds the events' detectors.csv and carries the map over
    events = tmp / "events"
    events.mkdir()
    write_detectors(events / "detectors.csv", target)
    (tmp / "m.json").unlink()
    by_folder = [a for a in args if a not in ("--detectors", str(tmp / "renumbered.csv"))]
    assert main(by_folder + ["--events-dir", str(events)]) == 0
    again = json.loads((tmp / "m.json").read_text())
    assert again["total"] == metrics["total"] and again["module_map"]["remapped_from"]


def test_no_training_doublet_is_an_error(files, capsys):
    tmp, cfg = files
    cfg.write_text(yaml.safe_dump({"module_map": {"pt_min": 100.0}}))
    assert (
        main(
            [
                "build-module-map",
                "--config",
                str(cfg),
                "--events",
                str(tmp / "train.h5"),
                "--n-events",
                "2",
                "--detectors",
                str(tmp / "detectors.csv"),
                "--out",
                str(tmp / "map.h5"),
            ]
        )
        != 0
    )
    assert "no truth edge of a particle with pT >= 100.0 GeV" in capsys.readouterr().err
