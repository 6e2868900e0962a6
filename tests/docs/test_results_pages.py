"""The generated results page of a run carries its comparison (full detector and pixel only),
and its README block stays within the README's size budget."""

from __future__ import annotations

import pytest

from tests.docs.conftest import ROOT, load_script
from tests.report.small_run import small_run
from trackgnn.cli import main

#: README.md, every preset's block included, stays under 10 KB
README_BUDGET = 10 * 1024


@pytest.fixture(scope="module")
def pages():
    return load_script("results_pages")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return small_run(tmp_path_factory.mktemp("pages"))


def test_without_a_comparison_the_page_and_block_have_the_track_table(pages, run):
    assert pages.comparison(run) is None
    assert "Comparison" not in pages.run_page(run)
    assert pages.readme_block(run).startswith("| method | events | efficiency |")


def test_page_and_readme_block_carry_the_comparison(pages, run, tmp_path):
    out = run / "report" / "comparison.json"
    assert main(["compare", "--results", str(run), "--out-json", str(out)]) == 0
    page = pages.run_page(run)
    section = page.split("### Comparison: full detector and pixel only (test events)", 1)[1]
    assert "**Full detector**" in section and "**Pixel only** (volumes 7, 8, 9)" in section
    assert "Written by `" in section  # the command that made the comparison
    block = pages.readme_block(run)
    assert block.startswith("| method | efficiency | fake rate |") and "pixel efficiency" in block
    assert "| truth reference | 1.0000 |" in block and "docs/results.md#run" in block
    # a block replaces the marked section of a README, nothing else
    text, found = pages.replace_block("a\n<!-- results:run -->\nold\n<!-- /results:run -->\nb\n", "run", block)
    assert found and text.startswith("a\n") and text.endswith("<!-- /results:run -->\nb\n") and "old" not in text
    # a block per preset (4 methods each, two presets) fits in what the README has left
    readme = (ROOT / "README.md").read_text()
    assert len(readme.encode()) + 2 * len(block.encode()) <= README_BUDGET + _blocks_size(readme)


def _blocks_size(readme: str) -> int:
    """Bytes the README's generated blocks take now (they are replaced, not added)."""
    import re

    pattern = re.compile(r"<!-- results:(\S+) -->\n.*?<!-- /results:\1 -->", re.S)
    return sum(len(m.group(0).encode()) for m in pattern.finditer(readme))


def test_readme_within_budget():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_BUDGET, f"README.md is {size} bytes; the budget is {README_BUDGET}"
