"""Shared helpers of the documentation tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

_FENCE = re.compile(r'^```(?P<lang>\w+)[ \t]+title="(?P<title>[^"]+)"[ \t]*\n(?P<body>.*?)^```[ \t]*$', re.S | re.M)


def _titled_blocks(page: str | Path) -> dict[str, tuple[str, str]]:
    text = (DOCS / page).read_text()
    return {m.group("title"): (m.group("lang"), m.group("body")) for m in _FENCE.finditer(text)}


@pytest.fixture(scope="session")
def titled_blocks():
    """``titled_blocks(page) -> {title: (language, code)}`` of a docs page's titled code blocks."""
    return _titled_blocks


def load_script(name: str):
    """The module of ``scripts/docs/<name>.py`` (the docs scripts are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "docs" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
