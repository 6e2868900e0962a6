"""The conda environment of the workflow's jobs (``--sdm conda``): ``envs/trackgnn.yaml`` plus
an editable install of the checkout the workflow runs from, named by absolute path.

Snakemake copies an environment file to ``.snakemake/conda/<hash>.yaml`` before
``conda env create``, and conda resolves a relative pip path from that copy, so a relative
``-e ..`` in the file would install whatever folder lies above the copy. An absolute path
does not depend on where the file is copied; it also enters the environment's content hash,
so two checkouts never share an environment whose editable install points into the other.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from trackgnn.utils.atomic import atomic_write_text

#: the file the workflow's rules name in ``conda:`` when conda deploys their software
DEPLOYED_NAME = "trackgnn-conda-env.yaml"
_HEADER = (
    "# Written by the workflow (trackgnn.utils.conda_env) from {template}:\n"
    "# the same pins, plus this checkout installed by absolute path. Do not edit.\n"
)


def pip_section(env: dict) -> list[str]:
    """The ``pip:`` list of a parsed conda environment file."""
    for item in env.get("dependencies", []):
        if isinstance(item, dict) and "pip" in item:
            return item["pip"]
    raise ValueError("no 'pip:' list under 'dependencies'")


def _is_local(requirement: str) -> bool:
    words = shlex.split(requirement)
    target = words[-1] if words else ""
    return words[:1] in (["-e"], ["--editable"]) or target.startswith((".", "/", "file:"))


def deployed_env(template: str | Path, source: str | Path) -> str:
    """The text of ``template`` with ``-e <source, absolute>`` appended to its pip list.

    Raises:
        ValueError: the template installs a local path itself (relative paths resolve from
            Snakemake's copy of the file, not from the repository).
    """
    template = Path(template)
    env = yaml.safe_load(template.read_text())
    pip = pip_section(env)
    local = [p for p in pip if _is_local(p)]
    if local:
        raise ValueError(
            f"{template}: pip installs {local} itself; a relative path resolves from Snakemake's copy of "
            "the file (.snakemake/conda/), so the workflow adds the checkout by absolute path instead"
        )
    pip.append(f"-e {shlex.quote(str(Path(source).resolve()))}")
    return _HEADER.format(template=template.name) + yaml.safe_dump(env, sort_keys=False)


def write_deployed_env(template: str | Path, source: str | Path, out_dir: str | Path) -> Path:
    """Write :func:`deployed_env` to ``out_dir/trackgnn-conda-env.yaml`` (atomically; left as
    it is when unchanged) and return its absolute path, for a rule's ``conda:``."""
    path = Path(out_dir).resolve() / DEPLOYED_NAME
    text = deployed_env(template, source)
    if not path.is_file() or path.read_text() != text:
        atomic_write_text(path, text)
    return path
