import numpy as np
import pandas as pd
import pytest

from trackgnn.metrics.weights import ORDER_PROPOSAL, order_weights, pt_weight, truth_weights

from .hand_event import NOISE, P1, P2, hand_event


def test_pt_weight_shape():
    assert pt_weight([0.1, 0.5])[0] == pytest.approx(0.2)
    assert pt_weight([0.5])[0] == pytest.approx(0.2)
    assert pt_weight([1.75])[0] == pytest.approx(0.6)  # half way from 0.5 to 3 GeV
    assert pt_weight([3.0, 50.0]).tolist() == pytest.approx([1.0, 1.0])


def test_order_weights_nine_hits_are_the_proposal():
    assert order_weights(9) == pytest.approx(ORDER_PROPOSAL / ORDER_PROPOSAL.sum())


def test_order_weights_short_tracks():
    assert order_weights(3).tolist() == [0.0, 0.0, 0.0]
    w = order_weights(4)
    # supports at 0, 3/8, ..., 3: hit 1 sits at 1 = support 8/3 -> between proposal[2] and [3]
    expected = np.array([10.0, np.interp(1, [0.75, 1.125], [6, 5]), np.interp(2, [1.875, 2.25], [3, 3]), 6.0])
    assert w == pytest.approx(expected / expected.sum())


def test_event_weights_sum_to_one_and_noise_weighs_nothing():
    truth, particles = hand_event()
    w = truth["weight"].to_numpy()
    assert w.sum() == pytest.approx(1.0)
    assert np.all(w[truth["hit_id"].isin(NOISE)] == 0)
    # equal pT: each particle carries the same total weight (order weights sum to 1 per track)
    per_particle = truth.groupby("particle_id")["weight"].sum()
    assert per_particle.loc[[1, 2, 3]].to_numpy() == pytest.approx([1 / 3] * 3)
    # first hit of the 10-hit particle weighs more than a middle one
    w1 = truth.set_index("hit_id").loc[P1, "weight"].to_numpy()
    assert w1[0] > w1[5] and w1[-1] > w1[5]


def test_order_column_overrides_distance():
    truth, particles = hand_event()
    reordered = truth.copy()
    reordered["order"] = 0
    rows = reordered["hit_id"].isin(P2).to_numpy()
    reordered.loc[rows, "order"] = np.arange(rows.sum())[::-1]  # walk particle 2 inwards
    w = truth_weights(reordered, particles)
    got = pd.Series(w, index=truth["hit_id"]).loc[P2].to_numpy()
    assert got == pytest.approx(truth.set_index("hit_id").loc[P2, "weight"].to_numpy()[::-1])


def test_particles_below_four_hits_weigh_zero():
    truth = pd.DataFrame({"hit_id": [1, 2, 3], "particle_id": [5, 5, 5], "tx": [1.0, 2, 3], "ty": 0.0, "tz": 0.0})
    particles = pd.DataFrame({"particle_id": [5], "vx": 0.0, "vy": 0.0, "vz": 0.0, "px": [1.0], "py": [0.0]})
    assert truth_weights(truth, particles).tolist() == [0.0, 0.0, 0.0]
