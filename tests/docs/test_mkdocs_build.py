"""``mkdocs build --strict`` of the documentation site succeeds, offline.

Strict mode turns every warning into an error: a broken link or anchor, a ``:::`` block
naming an object that does not exist, a docstring parameter missing from the signature,
a listed class or function without a docstring. (Not ``--quiet``: it hides warnings from
the strict-mode count.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.conftest import ROOT

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings_handlers.python")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{(proc.stdout + proc.stderr)[-6000:]}"
    return out


def test_every_nav_page_is_built(site):
    import yaml

    def pages(nav):
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from pages(value)
            else:
                yield value

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name tags of mkdocs.yml
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    for page in pages(config["nav"]):
        assert (site / page.replace(".md", ".html")).is_file(), page


def test_generated_content_is_in_the_site(site):
    from trackgnn.config import load_schema

    config_page = (site / "reference" / "config.html").read_text()
    for section in load_schema()["properties"]:
        assert f"cfg-{section.replace('_', '-')}" in config_page, section
    gnn_page = (site / "stages" / "gnn.html").read_text()
    import trackgnn.gnn.models  # noqa: F401
    from trackgnn.gnn.registry import GNN_MODELS

    for name in GNN_MODELS.names():
        assert f"gnn.model: {name}" in gnn_page, name
    assert "<math" in gnn_page  # docstring math rendered to MathML at build time
    assert "rulegraph.svg" in (site / "index.html").read_text()
    assert (site / "img" / "rulegraph.svg").is_file()


def test_site_needs_no_network(site):
    """No Google Fonts or CDN scripts: the pages load offline."""
    for page in site.rglob("*.html"):
        text = page.read_text()
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "polyfill.io"):
            assert host not in text, f"{page.relative_to(site)} references {host}"
