"""One real run of the tiny config, shared by the workflow tests of a session."""

from __future__ import annotations

import pytest

from .workflow_utils import run, write_config


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """A scratch folder in which the tiny config has run to completion locally."""
    workdir = tmp_path_factory.mktemp("tiny_run")
    write_config(workdir)
    result = run(workdir)
    assert result.returncode == 0, result.stderr[-4000:]
    return workdir
