"""The checked-in pipeline diagram (docs/img/rulegraph.{dot,svg}) matches the workflow.

Regenerate with ``bash scripts/docs/rulegraph.sh`` when this fails.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.conftest import ROOT

DOT = ROOT / "docs" / "img" / "rulegraph.dot"
SVG = ROOT / "docs" / "img" / "rulegraph.svg"
FIX = "regenerate with: bash scripts/docs/rulegraph.sh"

_NODE = re.compile(r'^\s*(\d+)\[label = "([^"]+)"', re.M)
_EDGE = re.compile(r"^\s*(\d+) -> (\d+)", re.M)


def parse_dot(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Rule names and (upstream, downstream) rule pairs of a ``snakemake --rulegraph`` DOT."""
    labels = dict(_NODE.findall(text))
    edges = {(labels[a], labels[b]) for a, b in _EDGE.findall(text)}
    return set(labels.values()), edges


def svg_labels(text: str) -> set[str]:
    return {html.unescape(t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", text)}


def snakemake_exe() -> str | None:
    local = Path(sys.executable).with_name("snakemake")
    return str(local) if local.exists() else shutil.which("snakemake")


@pytest.fixture(scope="module")
def current_dot() -> str:
    exe = snakemake_exe()
    if exe is None:
        pytest.skip("snakemake is not installed")
    proc = subprocess.run(
        [exe, "--rulegraph", "--quiet", "all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert proc.returncode == 0, f"snakemake --rulegraph failed:\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_checked_in_files_exist():
    assert DOT.is_file() and SVG.is_file(), f"docs/img/rulegraph.dot/.svg missing; {FIX}"


def test_svg_shows_every_rule_of_its_dot():
    rules, _ = parse_dot(DOT.read_text())
    missing = rules - svg_labels(SVG.read_text())
    assert rules and not missing, f"rulegraph.svg lacks rules {sorted(missing)} of rulegraph.dot; {FIX}"


def test_diagram_matches_current_workflow(current_dot):
    rules_now, edges_now = parse_dot(current_dot)
    rules_doc, edges_doc = parse_dot(DOT.read_text())
    assert rules_now, "snakemake printed no rules"
    assert rules_doc == rules_now, (
        f"docs diagram is stale: missing rules {sorted(rules_now - rules_doc)}, "
        f"removed rules {sorted(rules_doc - rules_now)}; {FIX}"
    )
    assert edges_doc == edges_now, (
        f"docs diagram is stale: missing edges {sorted(edges_now - edges_doc)}, "
        f"removed edges {sorted(edges_doc - edges_now)}; {FIX}"
    )
    assert rules_now <= svg_labels(SVG.read_text()), FIX
