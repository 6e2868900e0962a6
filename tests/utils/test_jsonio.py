import json
import math

import numpy as np
import pytest

from trackgnn.utils.jsonio import write_json


def strict_load(path):
    """``json.loads`` that refuses the NaN/Infinity extensions Python's json module accepts."""

    def refuse(constant):
        raise ValueError(f"{path}: invalid JSON constant {constant}")

    return json.loads(path.read_text(), parse_constant=refuse)


def test_nan_and_inf_become_null_and_keys_can_be_sorted(tmp_path):
    path = write_json(tmp_path / "m.json", {"b": float("nan"), "a": [np.float32(np.inf), np.int64(3)]}, sort_keys=True)
    assert strict_load(path) == {"a": [None, 3], "b": None}
    assert path.read_text().index('"a"') < path.read_text().index('"b"')
    with pytest.raises(ValueError, match="invalid JSON constant NaN"):
        (tmp_path / "bad.json").write_text(json.dumps({"x": math.nan}))
        strict_load(tmp_path / "bad.json")
