"""The "Using real TrackML data" fragment is generated from a sim_to_real.json: targets computed
from the figures (pass/fail follows the numbers), provenance read from the runs' records."""

from __future__ import annotations

import json

import pytest

from tests.docs.conftest import load_script


@pytest.fixture(scope="module")
def generator():
    return load_script("real_data_page")


def _side(run: str, edges_per_hit: float, reference_matched: float | None, gnn_mean: float) -> dict:
    agreement = None
    if reference_matched is not None:
        agreement = {"reference_matched": reference_matched, "tracks_matched": 0.96}
    return {
        "events": [f"results/{run}/events/test-000"],
        "n_events": 2,
        "hits_per_event": 95000.0,
        "graph": {"radius": 0.45, "knn": 50, "edges_per_hit": edges_per_hit, "edges_per_hit_per_volume": {"8": 30.5}},
        "scores": {"gnn_score": {"edges": [0.0, 0.5, 1.0], "fraction": [0.75, 0.25], "mean": gnn_mean}},
        "tracks": {"gnn": {"tracks_per_event": 4000.0}, "ckf": None},
        "agreement": agreement,
    }


def _result(real_edges: float, real_matched: float | None) -> dict:
    return {
        "real": _side("real", real_edges, real_matched, 0.31),
        "simulated": _side("sim", 20.0, 0.66, 0.29),
        "hit_density": {"per_volume": {"8": {"events": 30000.0, "reference": 33000.0, "ratio": 1.1}}},
    }


def _target_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| edges per hit") or "matched by" in line]


def test_targets_follow_the_figures(generator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "results" / "real").mkdir(parents=True)
    (tmp_path / "results" / "real" / "provenance.json").write_text(
        json.dumps({"command": "snakemake --configfile config/real_trackml.yaml", "commit": "abcdef0123456789"})
    )
    text = generator.page(_result(21.0, 0.655), "x.json")
    rows = _target_rows(text)
    assert "+5.0%" in rows[0] and "**pass**" in rows[0]
    assert "-0.50 points" in rows[1] and "**pass**" in rows[1]
    assert "`snakemake --configfile config/real_trackml.yaml` at commit `abcdef0123`" in text
    assert "| 8 | 33,000 | 30,000 | 1.100 | 30.50 | 30.50 |" in text
    assert "| 0.00-0.50 | 0.7500 | 0.7500 |" in text

    failing = _target_rows(generator.page(_result(23.0, 0.60), "x.json"))
    assert "+15.0%" in failing[0] and "**fail**" in failing[0]
    assert "-6.00 points" in failing[1] and "**fail**" in failing[1]

    counted = _result(21.0, 0.5)
    for side in ("real", "simulated"):
        counted[side]["agreement"].update(reference_matched=0.5, n_reference_tracks=100)
    assert "+0.00 ± 7.07 points" in _target_rows(generator.page(counted, "x.json"))[1]

    unknown = _target_rows(generator.page(_result(20.0, None), "x.json"))
    assert unknown[1].endswith("| - |") and "**pass**" in unknown[0]


def test_main_writes_the_fragment(generator, tmp_path, monkeypatch):
    out = tmp_path / "real_data.md"
    monkeypatch.setattr(generator, "OUTPUT", out)
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    source = tmp_path / "sim_to_real.json"
    source.write_text(json.dumps(_result(21.0, 0.655)))
    assert generator.main([str(source)]) == 0
    assert "Targets (issue 25)" in out.read_text()
    assert generator.main(["--none"]) == 0
    assert "Not generated yet" in out.read_text()


def test_agreement_rows_name_the_tracks_counted(generator):
    result = _result(21.0, 0.5)
    assert "CKF tracks (>= 7 hits, any pT) matched" in _target_rows(generator.page(result, "x.json"))[1]
    result["real"]["agreement"].update(pt_min=1.0, min_hits=7)
    assert "CKF tracks (>= 7 hits, pT > 1 GeV) matched" in _target_rows(generator.page(result, "x.json"))[1]
