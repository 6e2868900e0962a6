"""The sort-based set helpers agree with NumPy's own on edge keys and corner cases."""

import numpy as np
import pytest

from trackgnn.utils.arrays import member_of, sorted_unique


@pytest.mark.parametrize("n,high", [(0, 5), (1, 5), (2, 1), (1000, 50), (20_000, 10**12)])
def test_sorted_unique_equals_np_unique(n, high):
    values = np.random.default_rng(n).integers(0, high, n)
    got = sorted_unique(values)
    np.testing.assert_array_equal(got, np.unique(values))
    assert got.dtype == values.dtype


@pytest.mark.parametrize("n_values,n_table,high", [(100, 0, 10), (0, 10, 10), (500, 30, 60), (10_000, 2_000, 10**9)])
def test_member_of_equals_np_isin(n_values, n_table, high):
    rng = np.random.default_rng(n_values + n_table)
    values, table = rng.integers(0, high, n_values), rng.integers(0, high, n_table)
    if n_values and n_table:
        values[: n_table // 2] = table[: n_table // 2]  # make sure some are members
    got = member_of(values, table)
    np.testing.assert_array_equal(got, np.isin(values, table))
    if n_values and n_table:
        assert got.any() and not got.all()


def test_member_of_values_beyond_the_table():
    np.testing.assert_array_equal(member_of(np.array([-5, 3, 99]), np.array([3, 4])), [False, True, False])
