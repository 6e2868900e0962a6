"""The ``fitting`` config block: the schema is its only source of defaults, bad values name the key."""

from __future__ import annotations

import dataclasses

import pytest

from trackgnn.config import ConfigError, load_schema, validate_config
from trackgnn.fitting.config import FittingConfig, load_fitting_config


def test_the_dataclass_has_no_default_of_its_own():
    """Defaults live in the schema only: a literal default here could drift from it."""
    section = load_schema()["properties"]["fitting"]["properties"]
    fields = dataclasses.fields(FittingConfig)
    assert {f.name for f in fields} == set(section)
    for f in fields:
        assert f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, f.name
        assert section[f.name]["description"].strip(), f.name
    with pytest.raises(TypeError):
        FittingConfig()


@pytest.mark.parametrize("empty", [None, {}])
def test_an_empty_section_gives_the_schema_defaults(empty):
    section = load_schema()["properties"]["fitting"]["properties"]
    cfg = FittingConfig.from_dict(empty)
    assert cfg.as_dict() == {name: sub["default"] for name, sub in section.items()}
    assert cfg == FittingConfig.from_dict(validate_config({})["fitting"])


def test_given_keys_override_only_themselves():
    default = FittingConfig.from_dict({}).as_dict()
    cfg = FittingConfig.from_dict({"seed_variants": 2, "acts_log_level": "info"})
    assert cfg.as_dict() == {**default, "seed_variants": 2, "acts_log_level": "INFO"}


def test_validated_run_config_fills_defaults_and_reads_back(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("fitting: {chi2_ndf_max: 1.0e+9, max_holes: 0, extend_ckf: false}\nsimulation: {bfield_t: 1.5}\n")
    cfg, bfield = load_fitting_config(path)
    assert cfg.chi2_ndf_max == 1e9 and cfg.max_holes == 0 and not cfg.extend_ckf
    assert cfg.min_hits == FittingConfig.from_dict({}).min_hits and bfield == 1.5


@pytest.mark.parametrize(
    "block, message",
    [
        ({"min_hits": 2}, "fitting.min_hits: got 2; expected an integer >= 3"),
        ({"chi2_ndf_max": 0}, "fitting.chi2_ndf_max: got 0; expected a number > 0"),
        ({"chi2_ndf_max": float("inf")}, "fitting.chi2_ndf_max: got inf; expected a finite number"),
        ({"extend_ckf": 1}, "fitting.extend_ckf: got 1; expected true or false"),
        ({"seed_space_points": "Best"}, "fitting.seed_space_points: got 'Best'"),
        ({"refit_variants": "some"}, "fitting.refit_variants: got 'some'; expected one of ['all', 'best']"),
        ({"max_holes": 1.5}, "fitting.max_holes: got 1.5"),
        ({"chi2_max": 3}, "unknown key(s) ['chi2_max']"),
    ],
)
def test_bad_values_name_the_key(block, message):
    with pytest.raises(ValueError) as info:
        FittingConfig.from_dict(block)
    assert message in str(info.value)


def test_schema_refuses_what_the_dataclass_refuses():
    with pytest.raises(ConfigError, match="fitting"):
        validate_config({"fitting": {"min_hits": 2}})
    with pytest.raises(ConfigError, match="fitting"):
        validate_config({"fitting": {"bogus": 1}})
