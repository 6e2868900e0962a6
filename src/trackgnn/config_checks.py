"""Checks of a run config that a JSON schema cannot say: finite numbers, and model or method
names that exist.

Model names are read from the ``register("name")`` decorators of each stage's models folder
(parsed, not imported: validating a config must not import torch), so a new model file is
known the moment it is dropped in, and a typo fails when the config is read rather than
when its stage runs an hour later.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# config key -> the folder whose files register the names it may take
NAMED = {
    ("metric_learning", "model"): "graph_construction/models",
    ("filtering", "model"): "filtering/models",
    ("gnn", "model"): "gnn/models",
    ("track_building", "method"): "track_building/methods",
}
# sections whose ``models`` mapping is keyed by model names of the same folder
MODEL_TABLES = {"filtering": "filtering/models", "gnn": "gnn/models"}


def model_folders(folder: str) -> list[Path]:
    """``folder`` of the package, then ``trackgnn/<folder>`` below each ``sys.path`` entry where
    it exists: the folders its models package spans (:func:`trackgnn.utils.registry.models_path`)."""
    from trackgnn.utils.registry import models_path

    package = ".".join([PACKAGE.name, *Path(folder).parts])
    return [Path(p) for p in models_path([str(PACKAGE / folder)], package)]


def registered_names(folder: str) -> tuple[str, ...]:
    """Names registered by ``@REGISTRY.register("name")`` in the modules of ``folder`` (in the
    package and in the same folder below ``sys.path``: :func:`model_folders`)."""
    names = set()
    for path in sorted(p for base in model_folders(folder) for p in base.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "register"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
    return tuple(sorted(names))


def non_finite_keys(node: object, where: str = "") -> list[str]:
    """Dotted keys holding NaN or infinity (YAML's ``.nan``, ``.inf``)."""
    if isinstance(node, float) and not math.isfinite(node):
        return [where or "<top level>"]
    if isinstance(node, dict):
        return [
            k for key, value in node.items() for k in non_finite_keys(value, f"{where}.{key}" if where else str(key))
        ]
    if isinstance(node, list):
        return [k for i, value in enumerate(node) for k in non_finite_keys(value, f"{where}[{i}]")]
    return []


def semantic_errors(config: dict) -> list[str]:
    """What is wrong with a schema-valid config, one message per problem (empty: fine)."""
    errors = [f"key '{key}': expected a finite number" for key in non_finite_keys(config)]
    for (section, key), folder in NAMED.items():
        value = config.get(section, {}).get(key)
        known = registered_names(folder)
        if value is not None and known and value not in known:
            errors.append(f"key '{section}.{key}': unknown name '{value}'; registered: {list(known)}")
    for section, folder in MODEL_TABLES.items():
        known = registered_names(folder)
        for name in config.get(section, {}).get("models", {}) or {}:
            if known and name not in known:
                errors.append(f"key '{section}.models.{name}': no {section} model '{name}'; registered: {list(known)}")
    return errors
