"""Unit tests of the docs build helpers (scripts/docs/hooks.py, scripts/docs/griffe_rst.py)."""

from __future__ import annotations

import importlib.util
import logging

import pytest

from tests.docs.conftest import ROOT


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "docs" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("latex2mathml")
    return _load("hooks")


def test_api_marker_expands_to_mkdocstrings_blocks(hooks):
    out = hooks.expand_markers("<!-- trackgnn:api trackgnn.utils.registry.Registry level=2 -->")
    assert out.startswith("::: trackgnn.utils.registry.Registry\n") and "heading_level: 2" in out


def test_modules_not_written_yet_render_as_a_note(hooks):
    out = hooks.expand_markers(
        "<!-- trackgnn:api trackgnn.not_landed.Model -->\n"
        "<!-- trackgnn:models registry=trackgnn.not_landed.registry:MODELS -->"
    )
    assert out.count("Not available yet") == 2 and ":::" not in out


def test_missing_docstring_is_a_warning(hooks, caplog):
    assert hooks.missing_docstring("trackgnn.utils.registry", "Registry") is False
    assert hooks.missing_docstring("trackgnn.utils.registry", "NoSuchThing") is False  # mkdocstrings reports it
    undocumented = type("Undocumented", (), {"__module__": __name__})
    globals()["Undocumented"] = undocumented
    try:
        assert hooks.missing_docstring(__name__, "Undocumented") is True
        with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.trackgnn"):
            hooks.api_block(f"{__name__}.Undocumented")
        assert "has no docstring" in caplog.text
    finally:
        del globals()["Undocumented"]


def test_models_marker_lists_registered_models(hooks):
    pytest.importorskip("torch")
    out = hooks.expand_markers(
        "<!-- trackgnn:models registry=trackgnn.track_building.base:TRACK_BUILDERS "
        "load=trackgnn.track_building section=track_building key=method -->"
    )
    assert "track_building.method: walkthrough" in out
    assert "::: trackgnn.track_building.methods.walkthrough.Walkthrough" in out


def test_unknown_marker_fails(hooks):
    with pytest.raises(ValueError, match="unknown docs marker"):
        hooks.expand_markers("<!-- trackgnn:typo -->")


def test_math_becomes_mathml(hooks):
    html = '<p><span class="arithmatex">\\(x_i &lt; 1\\)</span></p><div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
    out = hooks.math_to_mathml(html)
    assert out.count("<math") == 2 and "\\(" not in out


def test_rst_docstrings_become_markdown():
    rst = _load("griffe_rst")
    text = (
        "Summary with :math:`T` and :class:`~trackgnn.gnn.base.GNNBase`, :func:`f`.\n\n"
        ".. math::\n    a = b\n\n    c = d\n\nArgs:\n    x, y: both coordinates.\n    z: depth.\n"
    )
    out = rst.rst_to_markdown(text)
    assert "$T$" in out and "`GNNBase`" in out and "`f`" in out
    assert out.count("$$") == 4 and ".. math::" not in out
    assert "    x: both coordinates.\n    y: both coordinates.\n    z: depth." in out
    assert rst.rst_to_markdown(out) == out  # idempotent
