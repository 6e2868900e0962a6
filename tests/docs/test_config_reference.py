"""The generated config reference documents every key of the workflow's schema."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.docs.conftest import ROOT, load_script

SCRIPT = ROOT / "scripts" / "docs" / "config_reference.py"


@pytest.fixture(scope="module")
def generator():
    return load_script("config_reference")


def test_every_schema_key_is_documented(generator):
    schema = generator.load_schema()
    page = generator.render(schema)
    keys = generator.all_keys(schema)
    assert {k.split(".")[0] for k in keys} >= set(schema["properties"]) - {
        k for k, v in schema["properties"].items() if not v.get("properties")
    }
    missing = [k for k in keys if f"`{k}`" not in page]
    assert not missing, f"keys missing from the reference: {missing}"
    for section in schema["properties"]:
        assert f"## `{section}`" in page


def test_generic_schema_features(generator):
    schema = {
        "description": "A | B",
        "$defs": {"cut": {"type": "number", "minimum": 0, "maximum": 1, "description": "a cut"}},
        "properties": {
            "stage": {
                "type": "object",
                "description": "Stage <one>.",
                "default": {"a": {"b": 2}},
                "properties": {
                    "a": {"type": "object", "properties": {"b": {"type": "integer", "description": "deep"}}},
                    "cut": {"$ref": "#/$defs/cut", "default": 0.5},
                    "mode": {"enum": ["x", "y"], "default": "x", "description": "pick"},
                    "items": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
                    "free": {"type": "object", "description": "anything"},
                },
            },
            "open": {"type": "object", "description": "no keys listed"},
        },
    }
    page = generator.render(schema)
    assert generator.all_keys(schema) == [
        "stage",
        "open",
        "stage.a",
        "stage.cut",
        "stage.mode",
        "stage.items",
        "stage.free",
        "stage.a.b",
        "stage.items[].name",
    ]
    assert "`stage.a.b` | integer | `2`" in page  # default inherited from the parent's default
    assert "`stage.cut` | number | `0.5` | ≥ 0; ≤ 1 | a cut" in page  # $ref resolved
    assert 'one of `"x"`, `"y"`' in page
    assert "### `stage.items[]`" in page
    assert "Stage &lt;one&gt;." in page and "A \\| B" in page  # prose escaped for tables/HTML
    assert "Free-form mapping" in page  # the 'open' section


def test_command_line(tmp_path):
    out = tmp_path / "ref.md"
    subprocess.run([sys.executable, str(SCRIPT), "-o", str(out)], check=True, cwd=tmp_path, timeout=60)
    assert "## `run`" in out.read_text()
