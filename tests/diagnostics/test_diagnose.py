"""Tests of the truth-free diagnostics (cell statistics, hit density report, CLI) on small
synthetic TrackML folders whose expected figures follow from how they are built."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from trackgnn.cli import main
from trackgnn.diagnostics.cells import per_hit, summarise
from trackgnn.diagnostics.density import load_sample
from trackgnn.diagnostics.report import build_report
from trackgnn.io.trackml import write_event


def _hits(counts: dict[tuple[int, int], int], rng: np.random.Generator) -> pd.DataFrame:
    """``counts[(volume, layer)]`` hits at random positions (barrel volume 8 along z, disk 7 along r)."""
    rows = []
    for (volume, layer), n in counts.items():
        phi = rng.uniform(-np.pi, np.pi, n)
        r = np.full(n, 30.0 * layer) if volume == 8 else rng.uniform(40, 160, n)
        z = rng.uniform(-400, 400, n) if volume == 8 else np.full(n, -600.0 - 100 * layer)
        rows.append(
            pd.DataFrame(
                {
                    "x": r * np.cos(phi),
                    "y": r * np.sin(phi),
                    "z": z,
                    "volume_id": volume,
                    "layer_id": layer,
                    "module_id": 1,
                }
            )
        )
    hits = pd.concat(rows, ignore_index=True)
    hits.insert(0, "hit_id", np.arange(1, len(hits) + 1))
    return hits


def _cells(hits: pd.DataFrame, size: int, value: float) -> pd.DataFrame:
    """Each hit gets a 1 x ``size`` cluster along ch1 of ``value`` per cell."""
    ids = np.repeat(hits["hit_id"].to_numpy(), size)
    return pd.DataFrame({"hit_id": ids, "ch0": 5, "ch1": 10 + np.tile(np.arange(size), len(hits)), "value": value})


@pytest.fixture
def folders(tmp_path):
    rng = np.random.default_rng(3)
    sim, real = tmp_path / "sim", tmp_path / "real"
    for event_id in (1, 2):  # 10 + 4 hits per event, clusters of 2 cells of 0.25
        hits = _hits({(8, 2): 10, (7, 4): 4}, rng)
        write_event(sim, event_id, hits, cells=_cells(hits, 2, 0.25))
    hits = _hits({(8, 2): 30, (7, 4): 4, (8, 4): 5}, rng)  # one event: 3x the hits in 8/2, a layer sim lacks
    write_event(real, 1, hits, cells=_cells(hits, 3, 1.0))
    return sim, real


def test_cell_statistics_follow_their_definitions():
    hits = pd.DataFrame({"hit_id": [1, 2], "volume_id": [8, 12], "layer_id": [2, 4]})
    cells = pd.DataFrame(
        {"hit_id": [1, 1, 1, 2], "ch0": [3, 4, 4, 7], "ch1": [1, 1, 3, 9], "value": [0.5, 0.25, 0.25, 1.0]}
    )
    table = per_hit(hits, cells).set_index("hit_id")
    assert table.loc[1, ["cells_per_hit", "value_per_hit", "extent_ch0", "extent_ch1"]].tolist() == [3, 1.0, 2, 3]
    assert table.loc[2, ["cells_per_hit", "value_per_hit", "extent_ch0", "extent_ch1"]].tolist() == [1, 1.0, 1, 1]
    assert summarise(table.reset_index(), ["volume_id"])["8"]["hits"] == 1


def test_cell_statistics_reject_bad_cells():
    hits = pd.DataFrame({"hit_id": [1], "volume_id": [8], "layer_id": [2]})
    with pytest.raises(ValueError, match="f.csv.*missing column"):
        per_hit(hits, pd.DataFrame({"hit_id": [1], "ch0": [0], "value": [1.0]}), where="f.csv")
    with pytest.raises(ValueError, match="not in the hits file"):
        per_hit(hits, pd.DataFrame({"hit_id": [2], "ch0": [0], "ch1": [0], "value": [1.0]}))


def test_report_ratios_are_reference_over_events(folders):
    sim, real = folders
    report = build_report(load_sample("events", [sim]), load_sample("reference", [real]), bins=4)
    assert report["per_layer"]["8/2"] == {"events": 10.0, "reference": 30.0, "ratio": 3.0}
    assert report["per_layer"]["7/4"]["ratio"] == 1.0
    assert report["per_layer"]["8/4"]["events"] == 0.0 and report["per_layer"]["8/4"]["ratio"] is None
    assert report["per_volume"]["8"]["ratio"] == pytest.approx(35 / 10, abs=1e-4)
    profile = report["profiles"]["8/2"]
    assert (
        profile["axis"] == "z"
        and sum(profile["events"]) == pytest.approx(10.0)
        and sum(profile["reference"]) == pytest.approx(30.0)
    )
    assert report["profiles"]["7/4"]["axis"] == "r"
    cells = report["cells_per_volume"]["8"]
    assert cells["ratio"]["cells_per_hit"] == pytest.approx(1.5) and cells["ratio"]["value_per_hit"] == pytest.approx(
        3 / 0.5
    )
    assert cells["ratio"]["extent_ch1"] == pytest.approx(1.5) and cells["ratio"]["extent_ch0"] == pytest.approx(1.0)


def test_cli_writes_report_and_plots(folders, tmp_path):
    sim, real = folders
    out, plots = tmp_path / "report.json", tmp_path / "plots"
    assert (
        main(
            [
                "diagnose",
                "--events",
                str(sim),
                "--reference",
                str(real),
                "--out",
                str(out),
                "--plots",
                str(plots),
                "--same-events",
            ]
        )
        == 0
    )
    report = json.loads(out.read_text())
    assert report["events"]["n_events"] == 1 and report["reference"]["n_events"] == 1  # only id 1 is in both
    assert report["per_layer"]["8/2"]["ratio"] == 3.0
    pngs = sorted(p.name for p in plots.iterdir())
    assert {"layer_ratio.png", "cells_ratio.png", "profiles_7.png", "profiles_8.png"} <= set(pngs)
    assert all((plots / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_cli_without_cells_and_bad_folder(folders, tmp_path):
    sim, real = folders
    for path in real.glob("*-cells.csv"):
        path.unlink()
    out = tmp_path / "r.json"
    assert main(["diagnose", "--events", str(sim), "--reference", str(real), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["reference"]["has_cells"] is False and "ratio" not in report["cells_per_volume"]["8"]
    assert report["cells_per_volume"]["8"]["events"]["cells_per_hit"] == 2.0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["diagnose", "--events", str(empty), "--reference", str(real), "--out", str(out)]) == 1
