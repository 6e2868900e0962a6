"""The pinned requirements, the conda environment and pyproject.toml must agree."""

import re

import yaml

from tests.conftest import REPO

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib


def pins(lines):
    out = {}
    for line in lines:
        line = line.strip()
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)$", line)
        if match:
            out[match.group(1).lower().replace("_", "-")] = match.group(2)
    return out


def requirement_names(deps):
    return {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}


def test_requirements_pin_every_runtime_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pinned = pins((REPO / "envs/requirements.txt").read_text().splitlines())
    needed = requirement_names(project["dependencies"]) - {"torch"}
    needed |= requirement_names(project["optional-dependencies"]["workflow"])
    assert needed <= set(pinned), f"not pinned in envs/requirements.txt: {sorted(needed - set(pinned))}"


def test_exact_pins_in_pyproject_match_requirements():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pinned = pins((REPO / "envs/requirements.txt").read_text().splitlines())
    exact = pins(project["dependencies"] + sum(project["optional-dependencies"].values(), []))
    for name, version in exact.items():
        if name in pinned:
            assert pinned[name] == version, f"{name}: pyproject {version} vs requirements {pinned[name]}"


def test_conda_environment_matches_requirements():
    env = yaml.safe_load((REPO / "envs/trackgnn.yaml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = pins(pip_section)
    pinned = pins((REPO / "envs/requirements.txt").read_text().splitlines())
    assert conda_pins.pop("torch") == "2.13.0"
    assert conda_pins == pinned
    assert any(d.startswith("python=3.11") for d in env["dependencies"] if isinstance(d, str))
