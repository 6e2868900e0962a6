"""A feature that overflows to inf is refused when the feature store is built, naming the
input folder, the event and how many values are bad; nothing is written."""

import pandas as pd
import pytest

from trackgnn.feature_store import build_feature_store
from trackgnn.utils.finite import NonFiniteError

CELL_CONFIG = {"feature_store": {"features": ["r", "phi", "z", "cell_value"]}}


def test_overflowing_cell_value_is_refused(toy_dir, tmp_path):
    cells_path = toy_dir / "event000000001-cells.csv"
    cells = pd.read_csv(cells_path)
    first = cells["hit_id"] == cells["hit_id"].iloc[0]
    assert first.sum() >= 2
    cells.loc[first, "value"] = 3e38  # each finite in float32; their sum, the hit's cell_value, is not
    cells.to_csv(cells_path, index=False)
    out = tmp_path / "fs.h5"
    with pytest.raises(
        NonFiniteError,
        match=rf"{toy_dir} event 1: 1 of \d+ node features 'x' are inf; "
        "the hit positions or cell features of the input event",
    ):
        build_feature_store(toy_dir, [0, 1], out, CELL_CONFIG)
    assert not out.exists()
    build_feature_store(toy_dir, [0, 2], out, CELL_CONFIG)  # the other events are fine
