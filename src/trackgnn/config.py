"""Load a run configuration: YAML, validated against the workflow's JSON schema, defaults filled.

The schema (``workflow/schemas/config.schema.yaml``) is the one place where every key is
described and defaulted; the Snakefile validates with the same file, so the CLI and the
workflow can never disagree on what a config means.
"""

from __future__ import annotations

from pathlib import Path

import json

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


class ConfigError(ValueError):
    """A config value is missing, of the wrong type or out of range; the message names the key."""


def _with_defaults(validator_class):
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for key, sub in properties.items():
                if "default" in sub and key not in instance:
                    default = sub["default"]
                    instance[key] = dict(default) if isinstance(default, dict) else default
                elif sub.get("type") == "object" and key not in instance and "properties" in sub:
                    instance[key] = {}
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def load_schema(path: str | Path = SCHEMA_PATH) -> dict:
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"config schema not found at {path} (is trackgnn installed from a checkout?)")
    return yaml.safe_load(path.read_text())


def validate_config(config: dict, schema: dict | None = None, source: str = "config") -> dict:
    """Fill defaults into ``config`` in place and check it; returns it.

    Raises:
        ConfigError: naming the dotted key (``gnn.hidden``) and what was expected.
    """
    schema = load_schema() if schema is None else schema
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "<top level>"
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            unknown = sorted(set(error.instance) - set(allowed))
            prefix = "" if key == "<top level>" else f"{key}."
            names = ", ".join(f"'{prefix}{u}'" for u in unknown)
            raise ConfigError(f"{source}: unknown key(s) {names}; expected one of {allowed} in '{key}'")
        raise ConfigError(f"{source}: key '{key}': {error.message}")
    return config


def load_config(path: str | Path | None) -> dict:
    """Read, default and validate a YAML (or JSON) config file; ``None`` gives the defaults."""
    if path is None:
        return validate_config({})
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: config file not found")
    try:
        if path.suffix == ".json":
            # not through YAML: YAML 1.1 reads JSON's 1e-05 as a string
            config = json.loads(path.read_text()) or {}
        else:
            config = yaml.safe_load(path.read_text()) or {}
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'YAML'}: {exc}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: expected a mapping of sections at the top level")
    return validate_config(config, source=str(path))
