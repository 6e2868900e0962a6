"""The ``fitting`` config block: dataclass and schema agree, bad values name the key."""

from __future__ import annotations

import dataclasses

import pytest

from trackgnn.config import ConfigError, load_schema, validate_config
from trackgnn.fitting.config import FittingConfig, load_fitting_config


def test_schema_defaults_equal_the_dataclass_defaults():
    section = load_schema()["properties"]["fitting"]["properties"]
    fields = {f.name: f.default for f in dataclasses.fields(FittingConfig)}
    assert set(section) == set(fields)
    for name, default in fields.items():
        assert section[name]["default"] == default, name
        assert section[name]["description"].strip(), name


def test_validated_run_config_fills_defaults_and_reads_back(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("fitting: {chi2_ndf_max: 1.0e+9, max_holes: 0, extend_ckf: false}\nsimulation: {bfield_t: 1.5}\n")
    cfg, bfield = load_fitting_config(path)
    assert cfg.chi2_ndf_max == 1e9 and cfg.max_holes == 0 and not cfg.extend_ckf
    assert cfg.min_hits == FittingConfig().min_hits and bfield == 1.5


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
