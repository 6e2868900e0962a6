import numpy as np

from trackgnn.graph_construction.edges import clean_edges, label_edges


def test_clean_orients_dedupes_and_drops_same_module():
    rho = np.array([3.0, 1.0, 2.0, 2.0])
    module = np.array([10, 11, 12, 12])
    src = np.array([0, 1, 0, 2, 2, 3, 1])
    dst = np.array([1, 0, 0, 3, 1, 0, 3])
    e = clean_edges(src, dst, module, rho)
    # 0-1 (twice) -> 1->0; self loop gone; 2-3 same module gone; 2-1 -> 1->2; 3-0 -> 3->0; 1-3 -> 1->3
    assert {tuple(x) for x in e.T} == {(1, 0), (1, 2), (3, 0), (1, 3)}
    assert e.shape[1] == 4 and e.dtype == np.int64
    assert (rho[e[0]] <= rho[e[1]]).all()


def test_clean_empty():
    assert clean_edges(np.zeros(0), np.zeros(0), np.zeros(3, np.int64), np.zeros(3)).shape == (2, 0)


def test_labels():
    pid = np.array([5, 5, 5, 0, 6, 6])
    target = np.array([True, True, True, False, False, False])
    truth = np.array([[0, 1, 4], [1, 2, 5]])
    edges = np.array([[1, 0, 2, 3, 4], [0, 2, 1, 4, 5]])
    lab = label_edges(edges, truth, pid, target)
    np.testing.assert_array_equal(lab["y"], [True, False, True, False, True])
    np.testing.assert_array_equal(lab["y_pid"], [True, True, True, False, True])
    np.testing.assert_array_equal(lab["target_edge"], [True, False, True, False, False])


def test_clean_breaks_rho_ties_by_index():
    # equal distance from the origin: the lower index is the source, whichever end found it
    rho = np.array([1.0, 1.0, 1.0])
    e = clean_edges(np.array([2, 1, 0]), np.array([0, 2, 1]), np.array([1, 2, 3]), rho)
    assert e.tolist() == [[0, 0, 1], [1, 2, 2]]
