import pytest

from trackgnn.config import load_schema, validate_config
from trackgnn.graph_construction.module_map.config import graph_method, map_simulation, module_map_config


def test_defaults_come_from_the_schema():
    schema = load_schema()["properties"]["module_map"]["properties"]
    defaults = {key: spec["default"] for key, spec in schema.items()}
    assert module_map_config(validate_config({})) == defaults
    assert module_map_config({}) == defaults  # a partial config is completed the same way
    assert module_map_config({"module_map": {"margin": 0.2}})["margin"] == 0.2
    assert graph_method(validate_config({})) == "metric_learning"


@pytest.mark.parametrize(
    "section, match",
    [
        ({"margin": -0.1}, "module_map.margin"),
        ({"events": 0}, "module_map.events"),
        ({"rotation": "yes"}, "module_map.rotation"),
        ({"typo": 1}, "unknown key"),
    ],
)
def test_bad_values_name_the_key(section, match):
    with pytest.raises(ValueError, match=match):
        module_map_config({"module_map": section})


def test_map_events_override_the_run_simulation():
    sim = map_simulation({"simulation": {"mu": 10, "pt_min": 0.1, "noise": 1.0, "eta_max": 3.0}})
    # the map events have a mu = 200 event's high-pT particles whatever the run's pile-up
    defaults = load_schema()["properties"]["module_map"]["properties"]["simulation"]["default"]
    assert sim["mu"] == 200 and sim["pt_min"] == defaults["pt_min"] and sim["noise"] == 0.0
    assert sim["eta_max"] == 3.0  # keys the section does not override come from the run
    with pytest.raises(ValueError, match="graph_construction.method"):
        graph_method({"graph_construction": {"method": "radius"}})
