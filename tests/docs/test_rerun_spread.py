"""The rerun-spread page lists every run's figures and computes the spread from them."""

from __future__ import annotations

import json

import pytest

from tests.docs.conftest import load_script


@pytest.fixture(scope="module")
def spread():
    return load_script("rerun_spread")


def make_run(root, name, gnn_seed, efficiency, score):
    run = root / name
    (run / "report").mkdir(parents=True)
    rows = [
        {"method": "gnn", "label": "trackgnn", "efficiency": efficiency, "fake_rate": 0.01,
         "duplicate_rate": 0.0, "trackml_score": score},
        {"method": "reference", "label": "truth reference", "efficiency": 1.0, "fake_rate": 0.0,
         "duplicate_rate": 0.0, "trackml_score": 1.0},
    ]  # fmt: skip
    comparison = {"run": f"results/{name}", "full": rows, "pixel": rows}
    (run / "report" / "comparison.json").write_text(json.dumps(comparison))
    config = {"run": {"seed": 42}, "gnn": {"training": {"seed": gnn_seed}}, "filtering": {"training": {"seed": None}}}
    (run / "config.resolved.json").write_text(json.dumps(config))
    (run / "provenance.json").write_text(json.dumps({"command": f"snakemake {name}", "commit": "abc"}))
    return run


def test_spread_is_computed_per_method_and_figure(spread, tmp_path):
    a = make_run(tmp_path, "preset", 0, 0.950, 0.48)
    b = make_run(tmp_path, "preset_seed1", 1, 0.9575, 0.47)
    out = tmp_path / "page.md"
    assert spread.main([str(a), str(b), "--out", str(out)]) == 0
    text = out.read_text()
    assert "| trackgnn | efficiency | 0.9500 | 0.9575 | 0.0075 |" in text
    assert "| trackgnn | TrackML score | 0.4800 | 0.4700 | 0.0100 |" in text
    assert "truth reference" not in text  # the reference is not trained: no spread
    assert "gnn 0" in text and "gnn 1" in text and "filtering run.seed" in text
    assert text.count("**Pixel only**") == 1


def test_a_run_without_comparison_is_named(spread, tmp_path):
    a = make_run(tmp_path, "preset", 0, 0.95, 0.48)
    missing = tmp_path / "other"
    missing.mkdir()
    with pytest.raises(FileNotFoundError, match="other/report/comparison.json"):
        spread.main([str(a), str(missing), "--out", str(tmp_path / "page.md")])
    with pytest.raises(SystemExit):
        spread.main([str(a)])
