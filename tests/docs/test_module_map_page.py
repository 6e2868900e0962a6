"""The module map's coverage page is generated from bench/module_map.py's JSON: the command is
named, every row is listed and the best row within each edges-per-hit budget is computed."""

from __future__ import annotations

import pytest

from tests.docs.conftest import load_script


@pytest.fixture(scope="module")
def generator():
    return load_script("module_map_page")


def _row(margin, eff, eph, granularity=None, t_margin=None):
    return {
        "pooling": "pooled",
        "n_events": 500,
        "margin": margin,
        "triplet_granularity": granularity,
        "triplet_margin": t_margin,
        "efficiency_target": eff,
        "edges_per_hit": eph,
        "doublets_per_hit": eph * 3,
        "n_pairs": 10,
        "n_triples": 5 if granularity else None,
        "threads": 2,
    }


def test_page_names_the_command_and_picks_the_best_row_within_each_budget(generator):
    rows = [
        _row(0.1, 0.985, 9.0),
        _row(0.2, 0.991, 14.0),
        _row(0.3, 0.994, 17.0),
        _row(0.2, 0.990, 2.0, "ring", 0.1),
        _row(0.3, 0.992, 2.5, "ring", 0.1),
    ]
    bench = {"command": "python bench/module_map.py --sizes 500", "test": "t.h5", "rows": rows}
    text = generator.page(bench, "bench.json")
    assert "`python bench/module_map.py --sizes 500`" in text and "module_map_page.py bench.json" in text
    best = [line for line in text.splitlines() if line.startswith("| 500 |")]
    assert "| 500 | doublets | 10 | 0.9850 | 9.00 | 0.1 | - |" in best
    assert "| 500 | doublets | 15 | 0.9910 | 14.00 | 0.2 | - |" in best  # 0.994 is over the budget
    assert "| 500 | ring triplets | 10 | 0.9920 | 2.50 | 0.3 | 0.1 |" in best
    assert sum("| ring, margin 0.1 |" in line for line in text.splitlines()) == 2
