"""The pinned requirements, the conda environment and pyproject.toml must agree, and the
conda environment the workflow deploys installs this checkout wherever Snakemake copies it."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from trackgnn.utils.conda_env import deployed_env, pip_section

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
    conda_pins = pins(pip_section(env))
    pinned = pins((REPO / "envs/requirements.txt").read_text().splitlines())
    assert conda_pins.pop("torch") == "2.13.0"
    assert conda_pins == pinned
    assert any(d.startswith("python=3.11") for d in env["dependencies"] if isinstance(d, str))


def test_conda_environment_pins_match_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    conda_pins = pins(pip_section(yaml.safe_load((REPO / "envs/trackgnn.yaml").read_text())))
    extras = project["optional-dependencies"]
    needed = requirement_names(project["dependencies"] + sum((extras[k] for k in extras if k != "gpu"), []))
    assert needed <= set(conda_pins), f"not in envs/trackgnn.yaml: {sorted(needed - set(conda_pins))}"
    for name, version in pins(project["dependencies"] + sum(extras.values(), [])).items():
        assert conda_pins.get(name, version) == version, f"{name}: pyproject {version} vs conda {conda_pins[name]}"


def test_deployed_environment_adds_the_checkout_by_absolute_path(tmp_path):
    text = deployed_env(REPO / "envs/trackgnn.yaml", REPO / "workflow" / "..")
    template = pip_section(yaml.safe_load((REPO / "envs/trackgnn.yaml").read_text()))
    assert pip_section(yaml.safe_load(text)) == [*template, f"-e {shlex.quote(str(REPO))}"]
    relative = tmp_path / "env.yaml"
    relative.write_text("dependencies:\n  - pip:\n      - numpy==2.4.6\n      - -e ..\n")
    with pytest.raises(ValueError, match="-e .."):
        deployed_env(relative, REPO)


FAKE_CONDA = """#!/bin/sh
# answers Snakemake's checks of the conda installation; keeps the file `env create` is given
case "$1" in
  info) echo "{\\"conda_prefix\\": \\"$FAKE_CONDA_DIR\\", \\"platform\\": \\"linux-64\\"}" ;;
  --version) echo "conda 24.11.3" ;;
  config) echo '{"get": {"channel_priority": "strict"}}' ;;
  env) while [ $# -gt 0 ]; do [ "$1" = "--file" ] && cp "$2" "$FAKE_CONDA_DIR/created.yaml"; shift; done; exit 3 ;;
  *) exit 2 ;;
esac
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for conda")
def test_snakemake_conda_env_installs_the_repository(tmp_path):
    """``--sdm conda``: Snakemake copies the env file into .snakemake/conda/ and conda runs pip
    from the copy's folder; the editable install must still be this repository."""
    fake = tmp_path / "conda_bin"
    fake.mkdir()
    (fake / "conda").write_text(FAKE_CONDA)
    (fake / "conda").chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    (work / "config.yaml").write_text((REPO / "tests/workflow/tiny_config.yaml").read_text())
    snakemake = Path(sys.executable).with_name("snakemake")
    cmd = [str(snakemake), "-s", str(REPO / "Snakefile"), "-d", str(work), "--configfile", str(work / "config.yaml")]
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "FAKE_CONDA_DIR": str(fake)}
    subprocess.run(
        [*cmd, "--cores", "1", "--sdm", "conda", "--conda-create-envs-only"],
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
    )
    created = fake / "created.yaml"
    assert created.is_file(), "Snakemake did not ask conda to create an environment"
    copy = next((work / ".snakemake" / "conda").glob("*.yaml"))  # where conda reads it from
    local = [shlex.split(p) for p in pip_section(yaml.safe_load(created.read_text())) if p.startswith("-e")]
    assert len(local) == 1 and (copy.parent / local[0][1]).resolve() == REPO.resolve()
