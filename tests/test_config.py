from pathlib import Path

import pytest
import yaml

from trackgnn.config import ConfigError, load_config, load_schema, validate_config
from trackgnn.feature_store.features import FEATURES

REPO_CONFIGS = sorted(f"config/{p.name}" for p in (Path(__file__).parents[1] / "config").glob("*.yaml"))


def test_defaults_are_filled():
    config = validate_config({})
    assert config["run"]["seed"] == 42
    assert config["evaluation"]["target"] == {"pt_min": 1.0, "eta_max": 4.0, "min_hits": 5, "primary_only": False}
    assert config["track_building"]["method"] == "walkthrough"


def test_every_key_is_described():
    def walk(schema, where):
        for key, sub in schema.get("properties", {}).items():
            assert sub.get("description"), f"schema key {where}{key} has no description"
            walk(sub, f"{where}{key}.")

    walk(load_schema(), "")


@pytest.mark.parametrize(
    "config, key",
    [
        ({"run": {"seed": -1}}, "run.seed"),
        ({"run": {"sead": 1}}, "run.sead"),
        ({"track_building": {"cut": 2}}, "track_building.cut"),
        ({"data": {"source": "tape"}}, "data.source"),
        ({"bogus": {}}, "bogus"),
    ],
)
def test_errors_name_the_key(config, key):
    with pytest.raises(ConfigError, match=f"key(?:\\(s\\))? '{key}'"):
        validate_config(config)


def test_load_config_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("run: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


@pytest.mark.parametrize("path", REPO_CONFIGS)
def test_shipped_configs_validate(path):
    from tests.conftest import REPO

    config = load_config(REPO / path)
    assert config["run"]["name"]


def test_the_hits_only_run_serves_real_event_inference():
    """The shared real test events have hits only: inference must use hits-only models and
    features, and those models must come from a run whose features match."""
    from tests.conftest import REPO

    real = yaml.safe_load((REPO / "config/real_trackml.yaml").read_text())
    hits_only = yaml.safe_load((REPO / "config/hits_only.yaml").read_text())
    assert real["inference"]["models_dir"] == f"results/{hits_only['run']['name']}/models"
    assert real["feature_store"]["features"] == hits_only["feature_store"]["features"]
    assert not any(FEATURES[f].cells for f in real["feature_store"]["features"])


def test_simulation_schema_defaults_match_the_dataclass():
    import dataclasses

    from trackgnn.simulation import SimulationConfig

    section = load_schema()["properties"]["simulation"]["properties"]
    fields = {f.name: f for f in dataclasses.fields(SimulationConfig)}
    assert set(section) == set(fields)
    defaults = SimulationConfig()
    for name, sub in section.items():
        value = getattr(defaults, name)
        default = sub["default"]
        if isinstance(default, dict):
            default = {int(k): v for k, v in default.items()}
        assert default == value, f"simulation.{name}: schema {default} vs dataclass {value}"
    # the filled-in config is accepted by the dataclass, also after a JSON round trip (string keys)
    import json

    resolved = json.loads(json.dumps(validate_config({})["simulation"]))
    assert SimulationConfig.from_dict(resolved) == defaults


def test_stage_schema_defaults_match_the_code():
    """The schema fills defaults before a stage sees its section: both must agree."""
    from trackgnn.filtering.config import FILTER_DEFAULTS
    from trackgnn.gnn.config import GNN_DEFAULTS
    from trackgnn.graph_construction.config import DEFAULTS as EMBEDDING_DEFAULTS

    schema = load_schema()["properties"]
    for section, defaults in (("filter", FILTER_DEFAULTS), ("gnn", GNN_DEFAULTS), ("embedding", EMBEDDING_DEFAULTS)):
        for key, value in defaults.items():
            assert schema[section]["properties"][key].get("default") == value, f"{section}.{key}"
