"""Render ``src/trackgnn/schemas/config.schema.yaml`` as the Markdown config reference.

Generic over the schema: every object (top-level section, nested mapping, object items of
an array) becomes a table of its keys with type, default, allowed values and description,
so new sections and keys appear in the docs as soon as they are in the schema.

The docs build calls :func:`render` (through ``scripts/docs/hooks.py``), so the page cannot
drift from the schema. To look at the output without building the site::

    .venv/bin/python scripts/docs/config_reference.py            # print to stdout
    .venv/bin/python scripts/docs/config_reference.py -o ref.md  # write a file
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "src" / "trackgnn" / "schemas" / "config.schema.yaml"

_CONSTRAINTS = (
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("exclusiveMaximum", "< {}"),
    ("minLength", "length ≥ {}"),
    ("maxLength", "length ≤ {}"),
    ("minItems", "≥ {} items"),
    ("maxItems", "≤ {} items"),
    ("pattern", "matches `{}`"),
)


def load_schema(path: str | Path = SCHEMA) -> dict:
    with open(path) as f:
        return yaml.safe_load(f)


def _resolve(node: dict, root: dict) -> dict:
    """Follow local ``$ref`` pointers (``#/$defs/name``); keys next to the ref win."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref pointers are supported, got {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
        if seen > 50:
            raise ValueError(f"$ref cycle at {ref!r}")
    return node


def _inline(value: Any) -> str:
    """A value as compact one-line YAML/JSON (``null``, ``true``, ``[a, b]``, ``{k: v}``)."""
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else json.dumps(value)


def _code(text: str) -> str:
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def _cell(text: str) -> str:
    """Escape prose for a table cell (no raw HTML, no column breaks, one line)."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def type_of(node: dict, root: dict) -> str:
    node = _resolve(node, root)
    if "const" in node:
        return f"constant {_code(_inline(node['const']))}"
    if "enum" in node:
        return "one of " + ", ".join(_code(_inline(v)) for v in node["enum"])
    for key in ("oneOf", "anyOf"):
        if key in node:
            return " or ".join(type_of(sub, root) for sub in node[key])
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    names = []
    for k in kinds:
        if k == "array":
            items = _resolve(node.get("items", {}), root)
            inner = "mapping" if items.get("type") == "object" or "properties" in items else type_of(items, root)
            names.append(f"list of {inner}" if inner else "list")
        elif k == "object":
            names.append("mapping")
        elif k == "null":
            names.append("null")
        else:
            names.append(str(k))
    if not names and "properties" in node:
        names.append("mapping")
    return " or ".join(names) if names else "any"


def constraints_of(node: dict, root: dict) -> str:
    node = _resolve(node, root)
    parts = [fmt.format(node[key]) for key, fmt in _CONSTRAINTS if key in node]
    if "required" in node:
        parts.append("requires " + ", ".join(_code(k) for k in node["required"]))
    return "; ".join(parts)


def _default_cell(node: dict, inherited: Any = None, has_inherited: bool = False) -> str:
    """The key's own default, else the one its parent's default gives it."""
    if "default" in node:
        return _code(_inline(node["default"]))
    if has_inherited:
        return _code(_inline(inherited))
    return "—"


def _is_object(node: dict) -> bool:
    kind = node.get("type")
    return "properties" in node or kind == "object" or (isinstance(kind, list) and "object" in kind)


def _has_keys(node: dict) -> bool:
    """An object schema that documents keys (listed, or a schema for every value)."""
    return bool(node.get("properties")) or isinstance(node.get("additionalProperties"), dict)


_MISSING = object()


def iter_objects(node: dict, root: dict, path: str, default: Any = _MISSING) -> Iterator[tuple[str, dict, Any]]:
    """Every object schema below ``node`` (itself included): ``(dotted path, schema, default)``.

    ``default`` is the effective default: the schema's own, else what the enclosing
    mapping's default gives this key. Nested mappings without documented keys are left out
    (their row says "mapping"); top-level sections are always listed.
    """
    node = _resolve(node, root)
    if "default" in node:
        default = node["default"]
    if _is_object(node) and (path.count(".") == 0 and "[]" not in path or _has_keys(node)):
        yield path, node, default
        inherited = default if isinstance(default, dict) else {}
        for key, sub in (node.get("properties") or {}).items():
            yield from iter_objects(sub, root, f"{path}.{key}" if path else key, inherited.get(key, _MISSING))
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and _is_object(_resolve(extra, root)):
            yield from iter_objects(extra, root, f"{path}.<name>" if path else "<name>")
    items = node.get("items")
    if isinstance(items, dict):
        yield from iter_objects(items, root, f"{path}[]")


def all_keys(schema: dict) -> list[str]:
    """Dotted paths of every documented key (what the tests check the page against)."""
    keys = []
    for path, node, _ in iter_objects(schema, schema, ""):
        for key in node.get("properties") or {}:
            keys.append(f"{path}.{key}" if path else key)
    return keys


def _object_table(path: str, node: dict, root: dict, default: Any = _MISSING) -> list[str]:
    props = node.get("properties") or {}
    lines: list[str] = []
    if not props:
        extra = node.get("additionalProperties", True)
        if extra is False:
            lines.append("No keys (must be empty).")
        elif isinstance(extra, dict):
            lines.append(f"A mapping from names to {type_of(extra, root)} values.")
        else:
            lines.append(
                "Free-form mapping: the schema does not list its keys (the description above says where they are documented)."
            )
        return lines
    lines += ["| Key | Type | Default | Allowed | Description |", "|---|---|---|---|---|"]
    parent_default = default if isinstance(default, dict) else {}
    for key, raw in props.items():
        sub = _resolve(raw, root)
        dotted = f"{path}.{key}" if path else key
        name = _code(dotted)
        items = _resolve(sub.get("items") or {}, root) if isinstance(sub.get("items"), dict) else {}
        if (_is_object(sub) and _has_keys(sub)) or (_is_object(items) and _has_keys(items)):
            name = f"[{name}](#{anchor(dotted)})"
        lines.append(
            f"| {name} | {type_of(sub, root)} | {_default_cell(sub, parent_default.get(key), key in parent_default)} "
            f"| {constraints_of(sub, root) or '—'} | {_cell(sub.get('description', ''))} |"
        )
    extra = node.get("additionalProperties", True)
    if extra is False:
        lines += ["", "Other keys are rejected."]
    return lines


def anchor(path: str) -> str:
    """Heading id of a section (set explicitly with ``attr_list``, so links are stable)."""
    return "cfg-" + "".join(c if c.isalnum() else "-" for c in path.lower()).strip("-")


def render(schema: dict | None = None, heading_level: int = 2) -> str:
    """The whole reference as Markdown (one heading + table per mapping)."""
    schema = load_schema() if schema is None else schema
    out: list[str] = []
    if schema.get("description"):
        out += [_cell(schema["description"]), ""]
    top = schema.get("properties") or {}
    out += ["| Section | Description |", "|---|---|"]
    for key, sub in top.items():
        out.append(f"| [{_code(key)}](#{anchor(key)}) | {_cell(_resolve(sub, schema).get('description', ''))} |")
    out.append("")
    for path, node, default in iter_objects(schema, schema, ""):
        if not path:
            continue
        depth = path.count(".")
        level = min(6, heading_level + depth)
        out += [f"{'#' * level} `{path}` {{ #{anchor(path)} }}", ""]
        if node.get("description"):
            out += [_cell(node["description"]), ""]
        if node.get("properties") and default is not _MISSING and default not in ({}, None):
            out += [f"Default: {_code(_inline(default))}", ""]
        out += _object_table(path, node, schema, default) + [""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=str(SCHEMA), help="schema file (default: the package's)")
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = render(load_schema(args.schema))
    if args.output:
        Path(args.output).write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
