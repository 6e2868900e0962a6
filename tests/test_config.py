import re
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


def test_simulation_dataclass_takes_every_default_from_the_schema():
    """The schema is the only source of the simulation defaults: the dataclass has none of
    its own, and an empty section gives exactly the schema's values."""
    import dataclasses
    import json

    from trackgnn.simulation import SimulationConfig

    section = load_schema()["properties"]["simulation"]["properties"]
    fields = dataclasses.fields(SimulationConfig)
    assert {f.name for f in fields} == set(section)
    assert all(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in fields)
    defaults = SimulationConfig.from_dict({})
    for name, sub in section.items():
        default = sub["default"]
        if isinstance(default, dict):
            default = {int(k): v for k, v in default.items()}
        assert getattr(defaults, name) == default, f"simulation.{name}"
    # the filled-in config gives the same, also after a JSON round trip (string keys)
    resolved = json.loads(json.dumps(validate_config({})["simulation"]))
    assert SimulationConfig.from_dict(resolved) == defaults == SimulationConfig.from_dict(None)


@pytest.mark.parametrize("section", ["metric_learning", "filtering", "gnn"])
def test_a_partial_section_gets_every_default(section):
    """The schema is the one source of defaults: a section naming one key gets the same
    values for every other key as a section left out (nested tables included)."""
    whole = validate_config({})[section]
    assert validate_config({section: {}})[section] == whole
    partial = validate_config({section: {"training": {"max_epochs": 3}}})[section]
    assert partial["training"] == {**whole["training"], "max_epochs": 3}
    assert partial == {**whole, "training": partial["training"]}


def test_partial_model_tables_keep_the_other_hyperparameters():
    models = validate_config({"gnn": {"models": {"interaction_network": {"hidden": 8}}}})["gnn"]["models"]
    assert models["interaction_network"] == {**validate_config({})["gnn"]["models"]["interaction_network"], "hidden": 8}
    assert models["attention_gnn"] == validate_config({})["gnn"]["models"]["attention_gnn"]


def test_no_stage_keeps_a_default_table_of_its_own():
    """The dicts that used to shadow the schema are gone."""
    import trackgnn.graph_construction.config as embedding
    import trackgnn.training.trainer as trainer

    assert not hasattr(trainer, "DEFAULTS")
    assert not any(hasattr(embedding, name) for name in ("DEFAULTS", "MODEL_DEFAULTS", "OTHER_DEFAULTS"))
    for module in ("trackgnn.filtering.config", "trackgnn.gnn.config"):
        with pytest.raises(ModuleNotFoundError):
            __import__(module)


@pytest.mark.parametrize(
    "section, holder", [("metric_learning", ()), ("filtering", ("training",)), ("gnn", ("training",))]
)
def test_a_null_training_seed_is_the_run_seed(section, holder):
    from trackgnn.config import stage_section

    partial = {"seed": None}
    for key in reversed(holder):
        partial = {key: partial}
    got = stage_section(validate_config({section: partial, "run": {"seed": 11}}), section)
    for key in holder:
        got = got[key]
    assert got["seed"] == 11


def test_stage_section_refuses_an_unvalidated_config():
    from trackgnn.config import stage_section

    with pytest.raises(ConfigError, match="config section 'gnn': not a validated config"):
        stage_section({"gnn": {"cut": 0.5}}, "gnn")


def test_duplicate_yaml_keys_are_refused(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("gnn:\n  cut: 0.5\n  hidden: 8\n  cut: 0.9\n")
    with pytest.raises(ConfigError, match=r"c.yaml: line 4: key 'cut' given twice .*first on line 2"):
        load_config(path)


@pytest.mark.parametrize("name", ["..", ".", "a/b"])
def test_run_name_is_one_folder(name):
    with pytest.raises(ConfigError, match="run.name"):
        validate_config({"run": {"name": name}})


def test_results_dir_may_not_climb_out(tmp_path):
    with pytest.raises(ConfigError, match="run.results_dir.*climbs out"):
        validate_config({"run": {"results_dir": "../../outside"}})
    # an absolute folder is explicit, and allowed
    assert validate_config({"run": {"results_dir": str(tmp_path)}})["run"]["results_dir"] == str(tmp_path)


def test_command_line_text_values_are_read_as_yaml():
    config = {
        "run": {"name": "mine", "seed": "7"},
        "gnn": {"cut": "0.7"},
        "metric_learning": {"knn": "30", "curve_radii": ["0.1", "0.2"]},
    }
    validate_config(config, coerce=True)
    assert config["run"] == {**config["run"], "name": "mine", "seed": 7}
    assert config["gnn"]["cut"] == 0.7 and config["metric_learning"]["knn"] == 30
    assert config["metric_learning"]["curve_radii"] == [0.1, 0.2]
    with pytest.raises(ConfigError, match="run.seed"):
        validate_config({"run": {"seed": "seven"}}, coerce=True)
    with pytest.raises(ConfigError, match="run.seed"):
        validate_config({"run": {"seed": "7"}})  # files are typed: no coercion


@pytest.mark.parametrize(
    "config, message",
    [
        ({"gnn": {"cut": 5}}, "gnn.cut"),
        ({"filtering": {"cut": -1}}, "filtering.cut"),
        ({"metric_learning": {"radius": -0.1}}, "metric_learning.radius"),
        ({"metric_learning": {"radius": float("nan")}}, "key 'metric_learning.radius': expected a finite number"),
        ({"gnn": {"model": "interaction_netwrok"}}, "gnn.model': unknown name 'interaction_netwrok'"),
        ({"track_building": {"method": "walk"}}, "track_building.method'"),
        ({"filtering": {"models": {"mpl": {"hidden": 8}}}}, "filtering.models.mpl"),
        ({"metric_learning": {"curve_radii": [0.1, -0.2]}}, "metric_learning.curve_radii.1"),
    ],
)
def test_out_of_range_and_unknown_names(config, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        validate_config(config)


def test_registered_names_are_read_from_the_model_files():
    from trackgnn.config_checks import registered_names
    from trackgnn.gnn import models  # noqa: F401  (registers every model)
    from trackgnn.gnn.registry import GNN_MODELS

    assert set(registered_names("gnn/models")) == set(GNN_MODELS.names())


def test_the_simulated_twins_match_the_real_run():
    """config/real_trackml_sim.yaml replays the particle lists of exactly the real run's events
    through the same models, and the real run compares itself with that run (#25)."""
    from tests.conftest import REPO

    real = load_config(REPO / "config/real_trackml.yaml")
    twins = load_config(REPO / "config/real_trackml_sim.yaml")
    assert twins["data"]["event_ids"] == real["data"]["event_ids"]
    assert twins["data"]["particles"] == real["data"]["input_dir"]
    assert twins["simulation"]["source"] == "particles" and twins["data"]["split"]["test"] == 1.0
    assert twins["inference"]["models_dir"] == real["inference"]["models_dir"]
    assert twins["feature_store"]["features"] == real["feature_store"]["features"]
    assert real["diagnostics"]["simulated_run"] == f"results/{twins['run']['name']}"
    assert twins["diagnostics"]["figures"] and not real["data"]["has_truth"]


def test_keys_given_or_defaulted_print_the_same():
    """A key written in a file at its default value and the same key filled in by the schema
    end at the same position: the sections print (and hash) the same."""
    import json

    defaulted = validate_config({})
    patience = defaulted["filtering"]["training"]["patience"]
    given = validate_config(
        {"gnn": {"cut": defaulted["gnn"]["cut"]}, "filtering": {"training": {"patience": patience}}}
    )
    assert json.dumps(given) == json.dumps(defaulted)
    assert list(given["gnn"]) == list(load_schema()["properties"]["gnn"]["properties"])
