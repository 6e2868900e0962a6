"""Old config section names (``embedding``, ``filter``) still read for one release, renamed to
``metric_learning`` and ``filtering`` with a warning; both names at once are refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from trackgnn.config import ConfigError, load_config, load_schema, read_run_config, validate_config
from trackgnn.config_legacy import REMOVED_IN, RENAMED_SECTIONS, ConfigDeprecationWarning, merge_sources

REPO = Path(__file__).resolve().parents[1]
NEW_TO_OLD = {new: old for old, new in RENAMED_SECTIONS.items()}
# the shipped presets and overlays that set a renamed section
PRESETS = sorted(
    p.name for p in (REPO / "config").glob("*.yaml") if set(yaml.safe_load(p.read_text()) or {}) & set(NEW_TO_OLD)
)


def with_old_names(config: dict) -> dict:
    return {NEW_TO_OLD.get(key, key): value for key, value in config.items()}


@pytest.mark.parametrize("old, new", sorted(RENAMED_SECTIONS.items()))
def test_an_old_section_resolves_as_the_new_one_with_a_warning(old, new):
    settings = {"training": {"max_epochs": 3}, "model": "mlp"}
    expected = validate_config({new: dict(settings), "run": {"seed": 5}})
    with pytest.warns(ConfigDeprecationWarning) as caught:
        got = validate_config({old: dict(settings), "run": {"seed": 5}}, source="my.yaml")
    assert got == expected
    assert old not in got and got[new]["training"]["max_epochs"] == 3
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1
    # names the file, the old key, the new key and the release that drops the old one
    assert re.search(
        rf"my\.yaml: config section '{old}' is deprecated .* {re.escape(REMOVED_IN)}; rename it '{new}'", messages[0]
    )


@pytest.mark.parametrize("old, new", sorted(RENAMED_SECTIONS.items()))
def test_old_and_new_name_together_are_refused(old, new):
    with pytest.raises(ConfigError, match=rf"my\.yaml: both '{old}' \(the old name\) and '{new}' are given"):
        validate_config({old: {}, new: {}}, source="my.yaml")


def test_new_names_give_no_warning(recwarn):
    validate_config({"metric_learning": {"knn": 30}, "filtering": {"cut": 0.1}})
    assert not [w for w in recwarn if issubclass(w.category, ConfigDeprecationWarning)]


def test_the_section_keeps_its_place_and_errors_name_the_new_key():
    with pytest.warns(ConfigDeprecationWarning):
        config = validate_config({"run": {"seed": 1}, "filter": {"cut": 0.1}, "gnn": {"cut": 0.2}})
    # renamed, and in the schema's place (the order every resolved config has)
    assert "filter" not in config and list(config) == list(load_schema()["properties"])
    with pytest.warns(ConfigDeprecationWarning), pytest.raises(ConfigError, match=r"key 'filtering\.cut'"):
        validate_config({"filter": {"cut": 2.0}})


@pytest.mark.parametrize("name", PRESETS)
def test_a_preset_written_with_the_old_names_still_validates(tmp_path, name):
    """Each shipped preset, written as it was before the rename, loads to the same config."""
    new = yaml.safe_load((REPO / "config" / name).read_text())
    old_path = tmp_path / name
    old_path.write_text(yaml.safe_dump(with_old_names(new), sort_keys=False))
    with pytest.warns(ConfigDeprecationWarning, match=re.escape(str(old_path))):
        old = load_config(old_path)
    assert old == load_config(REPO / "config" / name)


def test_a_resolved_config_of_an_earlier_run_reads_with_the_new_names(tmp_path):
    """The ``config.resolved.json`` a run wrote before the rename: what the result pages, the
    comparison and ``reconstruct`` read."""
    resolved = with_old_names(json.loads(json.dumps(validate_config({}))))
    path = tmp_path / "config.resolved.json"
    path.write_text(json.dumps(resolved))
    with pytest.warns(ConfigDeprecationWarning, match="config section 'embedding'"):
        raw = read_run_config(path)
    assert raw["metric_learning"] == validate_config({})["metric_learning"] and "filter" not in raw
    with pytest.warns(ConfigDeprecationWarning):
        loaded = load_config(path)
    assert loaded == json.loads(json.dumps(validate_config({})))  # as written (JSON: string keys)


def test_sources_are_renamed_one_by_one_before_they_merge():
    """The workflow's merge of config files: a preset with the new names and an older overlay
    with the old ones make one section, the later source winning key by key."""
    preset = {"filtering": {"cut": 0.1, "target_efficiency": 0.99}, "metric_learning": {"knn": 50}}
    overlay = {"filter": {"cut": 0.2}}
    with pytest.warns(ConfigDeprecationWarning, match="overlay.yaml: config section 'filter'"):
        merged = merge_sources(
            [("preset.yaml", preset), ("overlay.yaml", overlay), ("--config", {"embedding": {"knn": 30}})]
        )
    assert merged == {"filtering": {"cut": 0.2, "target_efficiency": 0.99}, "metric_learning": {"knn": 30}}
    assert preset == {"filtering": {"cut": 0.1, "target_efficiency": 0.99}, "metric_learning": {"knn": 50}}
    with pytest.raises(ConfigError, match="both.yaml: both 'filter'"):
        merge_sources([("both.yaml", {"filter": {}, "filtering": {}})])
