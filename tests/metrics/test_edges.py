import numpy as np
import pytest

from trackgnn.metrics.edges import binned_edge_counts, edge_metrics, pool_binned


def hand_event():
    # two particles of 3 hits: pT 0.7 and 4 GeV; hits at radii 30 / 70 / 300 mm
    arrays = {
        "r": np.array([30.0, 70.0, 300.0, 30.0, 70.0, 300.0]),
        "pt": np.array([0.7, 0.7, 0.7, 4.0, 4.0, 4.0]),
        "particle_eta": np.array([0.5, 0.5, 0.5, -2.5, -2.5, -2.5]),
    }
    rho = arrays["r"]  # z = 0
    truth = np.array([[0, 1, 3, 4], [1, 2, 4, 5]])
    kept = np.array([[2, 3], [1, 4]])  # 1-2 (stored outer -> inner) and 3-4 kept
    return arrays, truth, kept, rho


def test_binned_counts_use_the_inner_hit():
    arrays, truth, kept, rho = hand_event()
    c = binned_edge_counts(arrays, truth, kept, rho)
    r = c["r_inner"]
    assert r["bins"][:3] == [0.0, 50.0, 100.0]
    # true edges start at 30 (x2) and 70 (x2) mm; kept: 1-2 from 70 mm, 3-4 from 30 mm
    assert r["n_target_true"][:2] == [2, 2] and sum(r["n_target_true"]) == 4
    assert r["n_target_kept"][:2] == [1, 1] and sum(r["n_target_kept"]) == 2
    pt = dict(zip(c["pt"]["bins"], zip(c["pt"]["n_target_true"], c["pt"]["n_target_kept"])))
    assert pt[0.5] == (2, 1) and pt[3.0] == (2, 1)
    assert sum(c["eta"]["n_target_true"]) == 4


def test_pooling_sums_events_and_leaves_empty_bins_undefined():
    arrays, truth, kept, rho = hand_event()
    one = binned_edge_counts(arrays, truth, kept, rho)
    no_kept = binned_edge_counts(arrays, truth, kept[:, :0], rho)
    pooled = pool_binned([one, no_kept])["r_inner"]
    assert pooled["n_target_true"][:2] == [4, 4] and pooled["n_target_kept"][:2] == [1, 1]
    assert pooled["efficiency"][:2] == [0.25, 0.25]
    assert pooled["efficiency"][2:] == [None] * (len(pooled["bins"]) - 3)
    # a binning without its per-hit array is left out, the others stay
    partial = binned_edge_counts({"r": arrays["r"]}, truth, kept, rho)
    assert set(partial) == {"r_inner"}


def test_edge_metrics_counts_target_and_true_edges():
    kept = np.array([1, 1, 0, 1, 0], bool)
    truth = np.array([1, 0, 1, 1, 0], bool)
    target = np.array([1, 0, 1, 0, 0], bool)
    m = edge_metrics(kept, truth, target)
    assert m["efficiency"] == 0.5 and m["purity"] == 2 / 3 and m["n_target_kept"] == 1


def test_efficiency_rows_and_report_plots(tmp_path):
    import json

    from trackgnn.report.plots import graph_efficiency_plots
    from trackgnn.metrics.edges import efficiency_rows

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
    assert last == [{"low": 10.0, "high": 20.0, "efficiency": 1.0, "error_low": pytest.approx(0.5), "error_high": 0.0, "n": 1}]
    with_bins, without = tmp_path / "a.json", tmp_path / "b.json"
    with_bins.write_text(json.dumps({"total": {"binned": counts}}))
    without.write_text(json.dumps({"total": {"n_edges": 0}}))  # no truth: no bins
    paths = graph_efficiency_plots([with_bins, without], tmp_path / "plots")
    assert sorted(p.name for p in paths) == [f"graph_efficiency_vs_{b}.png" for b in ("eta", "pt", "r_inner")]
    assert all(p.stat().st_size > 0 for p in paths)


def test_values_beyond_the_bins_count_in_the_edge_bins_and_bins_must_match(tmp_path):
    arrays, truth, kept, rho = hand_event()
    arrays = {**arrays, "particle_eta": np.array([5.0] * 3 + [-4.5] * 3)}  # a target eta_max above 4
    c = binned_edge_counts(arrays, truth, kept, rho)["eta"]
    assert c["n_target_true"][0] == 2 and c["n_target_true"][-1] == 2 and sum(c["n_target_true"]) == 4
    other = {"eta": {**c, "bins": c["bins"][:-1] + [5.0]}}
    with pytest.raises(ValueError, match="different bins"):
        pool_binned([{"eta": c}, other])


def test_no_plot_for_a_binning_without_target_edges(tmp_path):
    import json

    from trackgnn.report.plots import graph_efficiency_plots

    arrays, truth, kept, rho = hand_event()
    empty = binned_edge_counts(arrays, truth[:, :0], kept[:, :0], rho)
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"total": {"binned": empty}}))
    assert graph_efficiency_plots([path], tmp_path / "plots") == []
