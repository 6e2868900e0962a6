import numpy as np
import pytest

from tests.graph_construction.native_required import require_native
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


def test_compiled_and_numpy_edge_keys_agree(monkeypatch):
    from trackgnn.graph_construction.backends import native

    require_native()
    rng = np.random.default_rng(5)
    n, p = 500, 20000
    src, dst = rng.integers(0, n, p), rng.integers(0, n, p)
    module = rng.integers(0, 40, n)  # many same-module pairs
    rho = rng.integers(0, 50, n).astype(float)  # many rho ties
    compiled = clean_edges(src, dst, module, rho)
    monkeypatch.setattr(native, "edge_keys", lambda *args: None)
    assert np.array_equal(clean_edges(src, dst, module, rho), compiled)
    assert 0 < compiled.shape[1] < p


@pytest.mark.parametrize("compiled", [True, False])
def test_clean_rejects_pairs_outside_the_nodes(compiled, monkeypatch):
    from trackgnn.graph_construction.backends import native

    if not compiled:
        monkeypatch.setattr(native, "edge_keys", lambda *args: None)
    else:
        require_native()
    for bad in ([0, 3], [-1, 0]):
        with pytest.raises(IndexError, match=r"outside \[0, 3\)"):
            clean_edges(np.array(bad), np.array([1, 2]), np.array([1, 2, 3]), np.zeros(3))


@pytest.mark.parametrize("compiled", [True, False])
def test_orientation_matches_rho_then_index_on_many_ties(compiled, monkeypatch):
    # hits at equal distance from the origin are common (one layer, one radius bin): the edge
    # goes from the lower index whichever end found the pair, exactly as rho-then-index says
    from trackgnn.graph_construction.backends import native

    if compiled:
        require_native()
    else:
        monkeypatch.setattr(native, "edge_keys", lambda *args: None)
    rng = np.random.default_rng(6)
    n, p = 2000, 30000
    src, dst = rng.integers(0, n, p), rng.integers(0, n, p)
    module = np.arange(n)  # every hit its own module: only self pairs go
    rho = rng.integers(0, 20, n).astype(float)  # ~100 hits per value
    e = clean_edges(src, dst, module, rho)
    s, d = src[src != dst], dst[src != dst]
    swap = (rho[s] > rho[d]) | ((rho[s] == rho[d]) & (s > d))
    expected = {(int(a), int(b)) for a, b in zip(np.where(swap, d, s), np.where(swap, s, d))}
    assert {(int(a), int(b)) for a, b in e.T} == expected and e.shape[1] == len(expected)
    ties = rho[e[0]] == rho[e[1]]
    assert ties.sum() > 1000 and (e[0][ties] < e[1][ties]).all()
