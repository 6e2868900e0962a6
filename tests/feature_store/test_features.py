import numpy as np
import pandas as pd
import pytest

from trackgnn.feature_store.cells import cell_features
from trackgnn.feature_store.features import cylindrical, feature_matrix


def test_default_features_are_scaled_cylindrical():
    hits = pd.DataFrame({"x": [0.0, 300.0], "y": [500.0, -400.0], "z": [250.0, -1000.0]})
    cols = cylindrical(hits)
    x = feature_matrix(cols, ("r", "phi", "z"))
    np.testing.assert_allclose(x[:, 0], [0.5, 0.5], rtol=1e-6)
    np.testing.assert_allclose(x[:, 1], [0.5, np.arctan2(-400, 300) / np.pi], rtol=1e-6)
    np.testing.assert_allclose(x[:, 2], [0.25, -1.0], rtol=1e-6)
    np.testing.assert_allclose(cols["eta"], np.arcsinh(np.array([250, -1000]) / 500), rtol=1e-5)


def test_missing_feature_is_a_clear_error():
    cols = cylindrical(pd.DataFrame({"x": [1.0], "y": [1.0], "z": [1.0]}))
    with pytest.raises(ValueError, match="cell_count.*cells"):
        feature_matrix(cols, ("r", "cell_count"))


def test_cell_features_extent_and_direction():
    hits = pd.DataFrame({"hit_id": [1, 2, 3], "volume_id": 8, "layer_id": 2, "module_id": 1})
    cells = pd.DataFrame(
        {"hit_id": [1, 1, 1, 2], "ch0": [10, 11, 12, 5], "ch1": [3, 3, 4, 7], "value": [0.5, 0.25, 0.25, 1.0]}
    )
    # module rotated 90 degrees about z: u -> y, v -> -x
    det = pd.DataFrame(
        {
            "volume_id": [8],
            "layer_id": [2],
            "module_id": [1],
            "cx": 0.0,
            "cy": 0.0,
            "cz": 0.0,
            "rot_xu": 0.0,
            "rot_xv": -1.0,
            "rot_xw": 0.0,
            "rot_yu": 1.0,
            "rot_yv": 0.0,
            "rot_yw": 0.0,
            "rot_zu": 0.0,
            "rot_zv": 0.0,
            "rot_zw": 1.0,
            "module_t": 0.1,
            "module_minhu": 1.0,
            "module_maxhu": 1.0,
            "module_hv": 1.0,
            "pitch_u": 0.05,
            "pitch_v": 0.5,
        }
    )
    f = cell_features(hits, cells, det)
    np.testing.assert_allclose(f["cell_count"], [3, 1, 0])
    np.testing.assert_allclose(f["cell_value"], [1.0, 1.0, 0.0])
    np.testing.assert_allclose(f["len_u"], [0.15, 0.05, 0.0], rtol=1e-6)
    np.testing.assert_allclose(f["len_v"], [1.0, 0.5, 0.0], rtol=1e-6)
    np.testing.assert_allclose(f["lphi"][0], np.arctan2(1.0, 0.15), rtol=1e-6)
    np.testing.assert_allclose(f["leta"][0], np.arcsinh(0.2 / np.hypot(0.15, 1.0)), rtol=1e-6)
    np.testing.assert_allclose(f["gphi"][0], np.arctan2(0.15, -1.0), rtol=1e-6)
    assert f["leta"][2] == 0.0 and np.isfinite(list(f.values())).all()


def test_unknown_module_in_cells():
    hits = pd.DataFrame({"hit_id": [1], "volume_id": 9, "layer_id": 2, "module_id": 1})
    cells = pd.DataFrame({"hit_id": [1], "ch0": [1], "ch1": [1], "value": [1.0]})
    det = pd.DataFrame(
        {c: [0.0] for c in ["cx", "cy", "cz", "module_t", "pitch_u", "pitch_v"]}
        | {"volume_id": [8], "layer_id": [2], "module_id": [1]}
    )
    with pytest.raises(ValueError, match="not in detectors"):
        cell_features(hits, cells, det)
