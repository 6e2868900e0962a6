"""The vocabulary table (docs/reference/vocabulary.md) names what exists: every rule of the
workflow appears in it and every rule it names exists; its config sections are the schema's,
its packages import, and each section named after a package or method is that one's."""

from __future__ import annotations

import importlib.util
import re

from tests.conftest import REPO
from trackgnn.config import load_schema
from trackgnn.config_legacy import RENAMED_SECTIONS

PAGE = REPO / "docs" / "reference" / "vocabulary.md"
COLUMNS = ("stage", "package", "sections", "rules", "outputs", "models")


def table_rows() -> list[dict[str, list[str]]]:
    text = PAGE.read_text().split("## Renamed config sections")[0]
    rows = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| Stage") or set(line) <= set("|-"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == len(COLUMNS), line
        rows.append({col: re.findall(r"`([^`]+)`", cell) for col, cell in zip(COLUMNS, cells)})
    return rows


def workflow_rules() -> set[str]:
    text = "\n".join(p.read_text() for p in [REPO / "Snakefile", *(REPO / "workflow" / "rules").glob("*.smk")])
    return set(re.findall(r"^\s*rule (\w+):", text, flags=re.M)) - {"all"}


def test_every_rule_is_in_the_table_and_every_named_rule_exists():
    named = {rule for row in table_rows() for rule in row["rules"]}
    assert named == workflow_rules()


def test_sections_are_the_schemas_and_packages_import():
    sections = set(load_schema()["properties"])
    for row in table_rows():
        assert row["sections"] and set(row["sections"]) <= sections, row
        for package in row["package"]:
            assert importlib.util.find_spec(package) is not None, package
    # no old name left in the table, and the new names are there
    named = {s for row in table_rows() for s in row["sections"]}
    assert not named & set(RENAMED_SECTIONS) and set(RENAMED_SECTIONS.values()) <= named


def test_a_section_named_after_a_package_configures_it():
    """``filtering`` configures ``trackgnn.filtering``; ``metric_learning`` and ``module_map``
    are the methods of ``graph_construction.method``."""
    methods = set(load_schema()["properties"]["graph_construction"]["properties"]["method"]["enum"])
    for row in table_rows():
        for package in row["package"]:
            last = package.split(".")[-1]
            if last in load_schema()["properties"]:
                assert last in row["sections"], row
        for section in row["sections"]:
            if section in methods:
                assert any(p.startswith("trackgnn.graph_construction") for p in row["package"]), row


def test_the_renamed_sections_are_listed():
    text = PAGE.read_text().split("## Renamed config sections")[1]
    for old, new in RENAMED_SECTIONS.items():
        assert f"| `{old}` | `{new}` |" in text
