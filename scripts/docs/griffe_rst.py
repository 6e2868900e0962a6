"""Griffe extension: read trackgnn's reST-flavoured docstrings as Markdown.

The code base writes Google-style sections (``Args:``, ``Returns:``) with a few reST
constructs inside. This extension rewrites those constructs, before mkdocstrings parses
the docstring, into what the site's Markdown understands:

* ``.. math::`` directives -> ``$$ ... $$`` blocks (one per blank-line-separated equation),
  rendered by ``pymdownx.arithmatex`` and turned into MathML by ``scripts/docs/hooks.py``;
* ``:math:`x``` -> ``$x$``;
* ``:class:`~pkg.mod.Name``` and the other cross-reference roles -> a code span
  (the ``~`` form shows the last component only, as Sphinx would);
* ``a, b: text`` in an ``Args:`` section (several parameters sharing one description,
  which the Google parser does not know) -> one ``a: text`` and one ``b: text`` entry.

Loaded by mkdocstrings from ``mkdocs.yml`` (``extensions: [scripts/docs/griffe_rst.py]``).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(class|func|meth|mod|data|attr|obj|exc|const|ref):`(~?)([^`]+)`")
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_MATH_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<first>.*)$")


def _role(match: re.Match) -> str:
    short, target = match.group(2), match.group(3)
    if short:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def _math_blocks(lines: list[str]) -> list[str]:
    """Replace every ``.. math::`` directive (and its indented body) by ``$$`` blocks."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _MATH_DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = len(match.group("indent").expandtabs())
        body = [match.group("first")] if match.group("first").strip() else []
        i += 1
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            body.append(lines[i])
            i += 1
        equations = [eq.strip() for eq in re.split(r"\n[ \t]*\n", textwrap.dedent("\n".join(body)))]
        pad = " " * indent
        for eq in filter(None, equations):
            out.extend(["", f"{pad}$$"] + [f"{pad}{line}" for line in eq.splitlines()] + [f"{pad}$$", ""])
    return out


_ARGS_HEADER = re.compile(r"^(?P<indent>[ \t]*)(Args|Arguments|Parameters|Params|Attributes|Other Parameters):[ \t]*$")
_SHARED_ARG = re.compile(
    r"^(?P<indent>[ \t]+)(?P<names>\w+(?:[ \t]*,[ \t]*\w+)+)(?P<rest>[ \t]*(?:\([^)]*\))?:[ \t].*)$"
)


def _split_shared_args(lines: list[str]) -> list[str]:
    """``a, b: text`` inside a parameter section -> ``a: text`` and ``b: text``."""
    out: list[str] = []
    section_indent: int | None = None
    for line in lines:
        header = _ARGS_HEADER.match(line)
        if header:
            section_indent = len(header.group("indent"))
            out.append(line)
            continue
        if section_indent is not None and line.strip() and len(line) - len(line.lstrip()) <= section_indent:
            section_indent = None
        match = _SHARED_ARG.match(line) if section_indent is not None else None
        if match:
            for name in match.group("names").split(","):
                out.append(f"{match.group('indent')}{name.strip()}{match.group('rest')}")
        else:
            out.append(line)
    return out


def rst_to_markdown(text: str) -> str:
    """The Markdown form of one docstring (idempotent on plain Markdown)."""
    text = "\n".join(_split_shared_args(_math_blocks(text.splitlines())))
    text = _MATH_ROLE.sub(lambda m: f"${m.group(1)}$", text)
    return _ROLE.sub(_role, text)


class RstToMarkdown(griffe.Extension):
    """Rewrite each object's docstring with :func:`rst_to_markdown` as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: ARG002
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)
