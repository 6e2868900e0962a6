import numpy as np
import pytest

from trackgnn.edge_classifier.metrics import EdgeTally, cut_for_efficiency, roc_auc


def test_auc_matches_pairwise_definition():
    rng = np.random.default_rng(0)
    scores = rng.random(300).round(2)  # ties on purpose
    labels = rng.random(300) < 0.3
    pos, neg = scores[labels], scores[~labels]
    pairwise = ((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (
        pos.size * neg.size
    )
    assert roc_auc(scores, labels) == pytest.approx(pairwise)
    assert np.isnan(roc_auc(scores, np.zeros(300, bool)))


def test_tally_counts_upstream_losses_in_efficiency():
    tally = EdgeTally(cut=0.5)
    scores = np.array([0.9, 0.8, 0.1, 0.7, 0.2])
    y = np.array([True, True, True, False, False])
    target = np.array([True, False, True, False, False])
    truth_target = np.ones(4, bool)  # 4 target edges in the truth graph, 2 reached this stage
    tally.add(scores, n_hits=10, arrays={"y": y, "y_pid": y, "target_edge": target, "truth_target": truth_target})
    s = tally.summary()
    assert s["efficiency"] == pytest.approx(1 / 4)
    assert s["stage_efficiency"] == pytest.approx(1 / 2)
    assert s["purity"] == pytest.approx(2 / 3)
    assert s["rejection"] == pytest.approx(2 / 5)
    assert s["edges_per_hit_kept"] == pytest.approx(0.3)


def test_tally_without_truth_has_no_physics_figures():
    tally = EdgeTally(cut=0.5)
    tally.add(np.array([0.6, 0.4]), n_hits=2, arrays=None, seconds=0.01)
    s = tally.summary()
    assert "efficiency" not in s and s["n_edges_kept"] == 1 and s["seconds_per_event"] == pytest.approx(0.01)


def test_cut_for_efficiency_keeps_requested_fraction():
    rng = np.random.default_rng(1)
    scores = rng.random(1000)
    target = rng.random(1000) < 0.5
    cut = cut_for_efficiency(scores, target, 0.9)
    kept = (scores > cut) & target
    assert kept.sum() / target.sum() >= 0.9
    assert kept.sum() - 1 < 0.9 * target.sum() + 1


def test_cut_for_efficiency_holds_on_float32_scores():
    # scores are stored as float32: the cut must sit below the kept score in that precision
    rng = np.random.default_rng(2)
    scores = rng.random(5000).astype(np.float32)
    target = rng.random(5000) < 0.3
    for efficiency in (0.9, 0.97, 0.995):
        cut = cut_for_efficiency(scores, target, efficiency)
        assert (scores > cut)[target].mean() >= efficiency
        assert (scores[target] > np.float32(cut)).mean() >= efficiency
