"""``trackgnn compare`` writes the comparison JSON and markdown of a run folder, and names the
file a run folder lacks in one error line."""

from __future__ import annotations

import json

from tests.report.small_run import small_run
from trackgnn.cli import main


def test_writes_json_and_markdown(tmp_path, capsys):
    run = small_run(tmp_path)
    out, md = tmp_path / "out" / "comparison.json", tmp_path / "out" / "comparison.md"
    assert main(["compare", "--results", str(run), "--out-json", str(out), "--markdown", str(md)]) == 0
    result = json.loads(out.read_text())
    assert [r["method"] for r in result["full"]] == ["gnn", "gnn_kf", "ckf", "reference"]
    assert result["volumes"] == [7, 8, 9]
    # the targets of the run's own config (config.resolved.json)
    assert result["cuts"] == json.loads((run / "config.resolved.json").read_text())["evaluation"]["target"]
    assert result["produced_by"]["command"]
    text = md.read_text()
    assert "**Full detector**" in text and "**Pixel only** (volumes 7, 8, 9)" in text
    assert text.strip() in capsys.readouterr().out


def test_methods_and_volumes_options(tmp_path):
    run = small_run(tmp_path, methods=("gnn", "reference"))
    out = tmp_path / "comparison.json"
    argv = ["compare", "--results", str(run), "--methods", "reference", "gnn", "--volumes", "13"]
    assert main([*argv, "--out-json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert [r["method"] for r in result["pixel"]] == ["reference", "gnn"]
    # the strip volume alone: particle 1 (5 strip hits) and 2 (6) are its targets
    assert result["pixel"][0]["n_target_particles"] == 2


def test_run_without_an_evaluation_is_one_line_naming_the_file(tmp_path, capsys):
    run = small_run(tmp_path, methods=("gnn", "gnn_kf", "reference"))
    assert main(["compare", "--results", str(run)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("trackgnn compare: error: ") and f"{run}/evaluation/ckf.json: not found" in err


def test_missing_run_folder(tmp_path, capsys):
    assert main(["compare", "--results", str(tmp_path / "nope")]) == 1
    assert f"{tmp_path / 'nope'}: run folder not found" in capsys.readouterr().err
