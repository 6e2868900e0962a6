import numpy as np

from tests.edge_classifier.toy import toy_event


def test_toy_event_follows_the_graph_contract():
    ev = toy_event(np.random.default_rng(0), n_particles=150)
    n, e = len(ev["hit_id"]), ev["edge_index"].shape[1]
    assert ev["x"].shape == (n, 3) and ev["x"].dtype == np.float32
    for name in ("y", "y_pid", "target_edge"):
        assert ev[name].shape == (e,) and ev[name].dtype == bool
    src, dst = ev["edge_index"]
    assert (ev["r"][src] < ev["r"][dst]).all()  # inner -> outer
    pid = ev["particle_id"]
    assert (ev["y"] <= ((pid[src] == pid[dst]) & (pid[src] > 0))).all()
    t = ev["truth_edges"]
    assert (pid[t[0]] == pid[t[1]]).all() and (pid[t[0]] > 0).all()
    # target edges are true edges of particles above 1 GeV
    assert (ev["pt"][src[ev["target_edge"]]] > 1.0).all()
    assert ev["target_edge"].sum() <= ev["truth_target"].sum()
