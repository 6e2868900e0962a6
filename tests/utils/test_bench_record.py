"""What a bench JSON records about its run (trackgnn.utils.bench_record)."""

from __future__ import annotations

import os
import shutil

from tests.conftest import REPO
from trackgnn.utils.bench_record import bench_record, machine_facts


def test_record_names_the_command_the_commit_and_the_machine():
    record = bench_record(REPO / "bench" / "metrics.py", ["--out", "results/bench/m.json"])
    assert record["bench"] == "metrics"
    assert record["command"] == "python bench/metrics.py --out results/bench/m.json"
    if shutil.which("git") and (REPO / ".git").exists():
        assert record["commit"] and len(record["commit"].removesuffix("+dirty")) == 40
    assert record["date"].endswith("+00:00")
    assert 1 <= record["machine"]["usable_cpus"] <= os.cpu_count()


def test_outside_a_checkout_the_commit_is_none(tmp_path):
    script = tmp_path / "bench" / "x.py"
    script.parent.mkdir()
    script.write_text("")
    assert bench_record(script, [])["commit"] is None


def test_machine_facts_mention_torch_only_when_imported(monkeypatch):
    monkeypatch.delitem(__import__("sys").modules, "torch", raising=False)
    facts = machine_facts()
    assert "torch" not in facts and facts["memory_gb"] > 0 and facts["cpu"]
