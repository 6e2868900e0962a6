"""The benchmarks page generator (scripts/docs/benchmarks_page.py) on constructed bench JSON."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.docs.conftest import ROOT


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("benchmarks_page", ROOT / "scripts/docs/benchmarks_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PROVENANCE = {
    "bench": "toy",
    "command": "python bench/toy.py --events 2 --out results/bench/toy.json",
    "commit": "0123abcd+dirty",
    "trackgnn_version": "9.9",
    "date": "2026-01-02T03:04:05+00:00",
    "machine": {"cpu": "Some CPU", "usable_cpus": 3, "memory_gb": 7.5, "load_average_1min": 2.25, "gpu": None},
}
TOY = {
    "benchmark": "toy",
    "n_hits": 93680,
    "seconds_per_event": 0.123456,
    "big": 14566.67,
    "ok": True,
    "target": {"efficiency": 0.98765, "cuts": {"pt_min": 1.0}},
    "events": [{"event_id": 1, "s": 0.5}, {"event_id": 2, "s": 0.25, "extra": 7}],
    "stages": {"filter": {"seconds": 1.5}, "gnn": {"seconds": 2.5}},
    "provenance": PROVENANCE,
}


def test_section_names_command_commit_machine_and_tabulates_the_figures(gen):
    text = "\n".join(gen.section(TOY, "results/bench/toy.json"))
    assert text.startswith("## toy\n")
    assert f"`{PROVENANCE['command']}`" in text and "`0123abcd+dirty`" in text and "2026-01-02" in text
    assert "CPU Some CPU" in text and "usable cores 3" in text and "load average at start 2.25" in text
    assert "GPU" not in text  # not recorded: left out rather than shown as missing
    assert "| n_hits | 93680 |" in text and "| seconds_per_event | 0.1235 |" in text
    assert "| big | 14567 |" in text and "| ok | yes |" in text
    assert "| target.efficiency | 0.9877 |" in text and "| target.cuts | pt_min: 1 |" in text
    # a list of records: one row each, columns the union of their keys
    assert "| event_id | s | extra |" in text and "| 1 | 0.5 | - |" in text and "| 2 | 0.25 | 7 |" in text
    # a mapping of records: a row per key
    assert "| stages | seconds |" in text and "| filter | 1.5 |" in text and "| gnn | 2.5 |" in text
    assert "events" not in text.split("**events**")[0].split("| figure | value |")[1]  # rows not in the summary


def test_json_without_provenance_or_skipped_says_so(gen):
    old = "\n".join(gen.section({"rows": [{"a": 1}, {"a": 2}]}, "results/bench/old_one.json"))
    assert old.startswith("## old_one\n") and "records no command" in old and "`bench/old_one.py`" in old
    skipped = "\n".join(gen.section({"skipped": "no data at /x"}, "results/bench/metrics.json"))
    assert "Not measured: no data at /x." in skipped and "| figure |" not in skipped
    own = "\n".join(gen.section({"rows": [{"a": 1}]}, "results/bench/module_map.json"))
    assert "](stages/graph_construction.md)" in own and "| a |" not in own


def test_page_sorts_benches_and_cells_cannot_break_the_table(gen):
    other = {"benchmark": "alpha", "note": "a|b\nc", "long": "x" * 500}
    text = gen.page([("results/bench/toy.json", TOY), ("results/bench/alpha.json", other)], "results/bench/*.json")
    assert text.index("## alpha") < text.index("## toy")
    assert "`results/bench/*.json`" in text.splitlines()[0]
    assert "| note | a\\|b c |" in text
    assert max(len(line) for line in text.splitlines() if line.startswith("| long")) < 200
    assert gen.page([], "results/bench/*.json") == gen.NOT_GENERATED


def test_main_writes_the_page_and_refuses_a_corrupt_json(gen, tmp_path):
    good = tmp_path / "toy.json"
    good.write_text(json.dumps(TOY))
    out = tmp_path / "gen" / "benchmarks.md"
    out.parent.mkdir()
    assert gen.main([str(good), "--out", str(out)]) == 0
    assert "## toy" in out.read_text() and str(good) in out.read_text()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(SystemExit, match="bad.json"):
        gen.main([str(good), str(bad), "--out", str(out)])
    assert "## toy" in out.read_text()  # the previous page is kept


def test_a_bench_json_written_by_emit_renders(gen, tmp_path, capsys):
    from trackgnn.utils.bench_record import emit

    path = tmp_path / "tiny.json"
    emit({"benchmark": "tiny", "seconds": 1.25}, ROOT / "bench" / "tiny.py", path, ["--events", "2", "--out", "x y"])
    assert json.loads(capsys.readouterr().out) == json.loads(path.read_text())
    text = "\n".join(gen.section(json.loads(path.read_text()), str(path)))
    assert "Command: `python bench/tiny.py --events 2 --out 'x y'`" in text and "| seconds | 1.25 |" in text
    assert "usable cores" in text
