"""MkDocs hooks of the trackgnn site (``hooks:`` in ``mkdocs.yml``).

Pages stay hand-written prose; the parts that must follow the code are expanded at build
time from HTML-comment markers (invisible if the hooks are not loaded):

``<!-- trackgnn:config-reference -->``
    the whole config reference, rendered from ``src/trackgnn/schemas/config.schema.yaml``
    by :mod:`config_reference`.
``<!-- trackgnn:models registry=MOD:NAME [load=MOD] [defaults=MOD:NAME|schema] [section=KEY] -->``
    one sub-section per model registered in the ``Registry`` ``MOD.NAME`` (after importing
    ``load``, the package whose import registers the models): how to select it, its
    default hyperparameters from ``defaults["models"][name]`` and a mkdocstrings block
    with its docstring (math, arguments, shapes).
``<!-- trackgnn:api PATH [PATH ...] [level=N] -->``
    a mkdocstrings ``:::`` block per object (``pkg.module.Object`` or ``pkg.module:Class.attr``).

Tolerance: a registry or API object whose *module* does not exist yet (a stage still being
written) renders as a note instead of failing, so the site builds while the stages land.
Everything else (a class missing from an existing module, a missing docstring, a broken
link) is left to ``mkdocs build --strict`` to fail on.

``on_page_content`` turns the TeX of ``pymdownx.arithmatex`` into MathML with
``latex2mathml``, so equations render in the browser without fetching MathJax or KaTeX.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import inspect
import logging
import re
import shlex
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import config_reference  # noqa: E402

log = logging.getLogger("mkdocs.hooks.trackgnn")

_MARKER = re.compile(r"^[ \t]*<!--\s*trackgnn:(?P<kind>[\w-]+)(?P<args>[^>]*?)-->[ \t]*$", re.MULTILINE)
_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)


# ----------------------------------------------------------------------------- markers
def module_exists(name: str) -> bool:
    """Whether the module ``name`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def owning_module(dotted: str) -> str | None:
    """The longest existing module prefix of ``dotted`` (``None``: not even the package)."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        if module_exists(".".join(parts[:n])):
            return ".".join(parts[:n])
    return None


def _pending(what: str) -> str:
    return (
        f'!!! note "Not available yet"\n    `{what}` is not in the code base yet (this stage is '
        "still being written); this section fills in by itself when it lands.\n"
    )


def missing_docstring(module: str, qualname: str) -> bool:
    """Whether the class or function ``module.qualname`` has no docstring of its own.

    (A dataclass without one gets an automatic ``Name(field, ...)`` docstring; that counts
    as missing.) Other objects (constants, modules) are not checked.
    """
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:  # not there: mkdocstrings reports the broken reference itself
            return False
    if not (inspect.isclass(obj) or inspect.isroutine(obj)):
        return False
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    return not doc or not doc.strip() or (inspect.isclass(obj) and doc.startswith(f"{obj.__name__}("))


def _object(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def api_block(path: str, heading_level: int = 3) -> str:
    """A mkdocstrings block for ``path``, or a note if its module does not exist yet.

    ``path`` is ``package.module.Object`` (the module is everything before the last dot)
    or, for nested objects, explicit ``package.module:Class.method``.
    """
    if ":" in path:
        module, _, qualname = path.partition(":")
        dotted = f"{module}.{qualname}"
        if not module_exists(module):
            return _pending(dotted)
    else:
        dotted = path
        if module_exists(path):
            module, qualname = path, ""
        elif module_exists(path.rsplit(".", 1)[0]):
            module, qualname = path.rsplit(".", 1)
        else:
            return _pending(dotted)
    if qualname and missing_docstring(module, qualname):
        # a warning: `mkdocs build --strict` (CI) fails on it
        log.warning("%s has no docstring; the docs page that lists it needs one", dotted)
    return f"::: {dotted}\n    options:\n      heading_level: {heading_level}\n"


def models_section(args: dict[str, str]) -> str:
    """The registered models of one stage (see the module docstring)."""
    registry_spec = args["registry"]
    registry_module = registry_spec.partition(":")[0]
    if not module_exists(registry_module):
        return _pending(registry_module)
    if args.get("load"):
        importlib.import_module(args["load"])
    registry = _object(registry_spec)
    section = args.get("section", registry.stage)
    if args.get("defaults") == "schema":  # the config schema's defaults of the section
        from trackgnn.config import validate_config

        defaults = validate_config({})[section]
    else:
        defaults = _object(args["defaults"]) if args.get("defaults") else {}
    select_key = args.get("key", "model")
    level = int(args.get("level", 3))
    names = registry.names()
    if not names:
        return _pending(f"{registry_spec} (no model registered)")
    out = []
    for name in names:
        cls = registry.get(name)
        out += [f"{'#' * level} `{name}` {{ #{section}-{name.replace('_', '-')} }}", ""]
        out += [f"Select it with `{section}.{select_key}: {name}`."]
        hparams = (defaults.get("models") or {}).get(name) if isinstance(defaults, dict) else None
        if hparams is not None:
            snippet = yaml.safe_dump(
                {section: {select_key: name, "models": {name: hparams}}}, sort_keys=False, default_flow_style=False
            )
            out += [
                f" Defaults of its hyperparameters (`{section}.models.{name}`):",
                "",
                "```yaml",
                snippet.rstrip(),
                "```",
            ]
        out += ["", api_block(f"{cls.__module__}.{cls.__qualname__}", level + 1), ""]
    return "\n".join(out)


def _parse_args(text: str) -> tuple[list[str], dict[str, str]]:
    positional, named = [], {}
    for token in shlex.split(text):
        key, eq, value = token.partition("=")
        if eq:
            named[key] = value
        else:
            positional.append(token)
    return positional, named


def expand_markers(markdown: str) -> str:
    """Replace every ``<!-- trackgnn:... -->`` marker line by its generated Markdown."""

    def replace(match: re.Match) -> str:
        kind = match.group("kind")
        positional, named = _parse_args(match.group("args"))
        if kind == "config-reference":
            schema = named.get("schema", str(config_reference.SCHEMA))
            return config_reference.render(config_reference.load_schema(schema), int(named.get("level", 2)))
        if kind == "models":
            return models_section(named)
        if kind == "api":
            level = int(named.get("level", 3))
            return "\n".join(api_block(path, level) for path in positional)
        raise ValueError(f"unknown docs marker 'trackgnn:{kind}'")

    return _MARKER.sub(replace, markdown)


# ------------------------------------------------------------------------------- math
def tex_to_mathml(tex: str, display: str) -> str | None:
    """MathML of ``tex`` (``None`` if latex2mathml is missing or cannot parse it)."""
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None
    try:
        return convert(tex.strip(), display=display)
    except Exception as exc:  # an unsupported command: keep the TeX source visible
        log.info("math left as TeX (%s): %s", exc, tex.strip()[:80])
        return None


def math_to_mathml(content: str) -> str:
    def inline(match: re.Match) -> str:
        mathml = tex_to_mathml(html.unescape(match.group("tex")), "inline")
        return f'<span class="arithmatex">{mathml}</span>' if mathml else match.group(0)

    def block(match: re.Match) -> str:
        mathml = tex_to_mathml(html.unescape(match.group("tex")), "block")
        return f'<div class="arithmatex">{mathml}</div>' if mathml else match.group(0)

    return _INLINE_MATH.sub(inline, _BLOCK_MATH.sub(block, content))


# ------------------------------------------------------------------------------ hooks
def on_page_markdown(markdown, page, config, files):  # noqa: ARG001  (MkDocs hook signature)
    return expand_markers(markdown)


def on_page_content(html_content, page, config, files):  # noqa: ARG001
    return math_to_mathml(html_content)
