import math

from tests.utils.test_jsonio import strict_load
from trackgnn.graph_construction.curve import write_curve


def test_undefined_points_of_the_curve_are_null(tmp_path):
    rows = [
        {
            "radius": 0.1,
            "knn": None,
            "efficiency": math.nan,
            "purity": math.nan,
            "edges_per_hit": 0.0,
            "n_dropped": 0,
            "n_capped": 0,
            "search_s_per_event": 0.01,
        }
    ]
    write_curve(rows, tmp_path / "curve.json")
    assert strict_load(tmp_path / "curve.json") == [{**rows[0], "efficiency": None, "purity": None}]
