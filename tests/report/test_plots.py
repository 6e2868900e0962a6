import json

import matplotlib.axes
import pandas as pd
import pytest

from tests.metrics.hand_edges import hand_event
from trackgnn.metrics.edges import binned_edge_counts, pool_binned
from trackgnn.report.plots import binned_plot, efficiency_rows, graph_efficiency_plots


def test_efficiency_rows_and_report_plots(tmp_path):
    arrays, truth, kept, rho = hand_event()
    counts = binned_edge_counts(arrays, truth, kept, rho)
    rows = efficiency_rows(pool_binned([counts])["pt"], open_end=20.0)
    # only the two filled pT bins: [0.5, 1) and [3, 5), each 1 of 2 kept
    assert [(r["low"], r["high"], r["n"]) for r in rows] == [(0.5, 1.0, 2), (3.0, 5.0, 2)]
    # 1 of 2: Wilson centre (0.5 + 1/4) / 1.5 = 0.5, half-width (1 / 1.5) sqrt(1/8 + 1/16) = 0.2887
    half = (1 / 1.5) * (1 / 8 + 1 / 16) ** 0.5
    assert all(r["efficiency"] == 0.5 for r in rows)
    assert all(r["error_low"] == pytest.approx(half) and r["error_high"] == pytest.approx(half) for r in rows)
    last = efficiency_rows({"bins": [0.0, 10.0, 1e6], "n_target_kept": [0, 1], "n_target_true": [0, 1]}, open_end=20.0)
    # 1 of 1: the interval is [0.5, 1], not the zero-width normal approximation
    assert last == [
        {"low": 10.0, "high": 20.0, "efficiency": 1.0, "error_low": pytest.approx(0.5), "error_high": 0.0, "n": 1}
    ]
    with_bins, without = tmp_path / "a.json", tmp_path / "b.json"
    with_bins.write_text(json.dumps({"total": {"binned": counts}}))
    without.write_text(json.dumps({"total": {"n_edges": 0}}))  # no truth: no bins
    paths = graph_efficiency_plots([with_bins, without], tmp_path / "plots")
    assert sorted(p.name for p in paths) == [f"graph_efficiency_vs_{b}.png" for b in ("eta", "pt", "r_inner")]
    assert all(p.stat().st_size > 0 for p in paths)


@pytest.fixture
def drawn_errors(monkeypatch):
    """The ``yerr`` each ``errorbar`` call of a plot received."""
    seen = []
    original = matplotlib.axes.Axes.errorbar

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("yerr"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "errorbar", spy)
    return seen


def test_binned_plot_draws_wilson_bars_or_an_older_symmetric_error(tmp_path, drawn_errors):
    rows = {"low": [0.0, 1.0], "high": [1.0, 2.0], "efficiency": [1.0, 0.5]}
    wilson = {**rows, "error_low": [0.5, 0.29], "error_high": [0.0, 0.29]}
    older = {**rows, "error": [0.0, 0.35]}  # metrics JSON written before the Wilson interval
    results = {
        "new": {"rows": pd.DataFrame(wilson).to_dict("records")},
        "old": {"rows": pd.DataFrame(older).to_dict("records")},
        "bare": {"rows": pd.DataFrame(rows).to_dict("records")},
    }
    path = binned_plot(results, "rows", "efficiency", "x", "efficiency", tmp_path / "eff.png")
    assert path.stat().st_size > 0
    new, old, bare = drawn_errors
    assert [list(e) for e in new] == [[0.5, 0.29], [0.0, 0.29]]
    assert list(old) == [0.0, 0.35]
    assert bare is None
