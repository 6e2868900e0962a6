import numpy as np
import pytest

from tests.metrics.hand_edges import hand_event
from trackgnn.metrics.edges import binned_edge_counts, edge_metrics, pool_binned


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
