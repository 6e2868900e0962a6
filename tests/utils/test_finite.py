import numpy as np
import pytest
import torch

from trackgnn.utils.finite import NonFiniteError, check_finite, count_non_finite


def test_counts_nan_and_inf_separately():
    values = np.array([1.0, np.nan, np.inf, -np.inf, np.nan, 0.0])
    assert count_non_finite(values) == (2, 2, 6)
    assert count_non_finite(np.arange(4)) == (0, 0, 4)


def test_message_names_where_what_and_count():
    scores = np.zeros(50, np.float32)
    scores[[3, 9, 11]] = np.nan
    with pytest.raises(NonFiniteError, match=r"^g\.h5 event 3: 3 of 50 edge scores are NaN; model corrupt$"):
        check_finite(scores, "edge scores", "g.h5 event 3", "model corrupt")


def test_tensors_and_finite_values():
    check_finite(torch.ones(4), "values", "here")
    check_finite(torch.arange(4), "values", "here")
    with pytest.raises(NonFiniteError, match="1 of 4 embeddings are inf"):
        check_finite(torch.tensor([0.0, 1.0, float("inf"), 2.0]), "embeddings", "here")
