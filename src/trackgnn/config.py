"""Load a run configuration: YAML, validated against the workflow's JSON schema, defaults filled.

The schema (``trackgnn/schemas/config.schema.yaml``, shipped in the package; the workflow's
``workflow/schemas/config.schema.yaml`` links to it) is the one place where every key is
described and defaulted; the Snakefile validates with the same file, so the CLI and the
workflow can never disagree on what a config means.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "config.schema.yaml"


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


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (YAML itself keeps the
    last one silently, so a typo'd duplicate would change a run without a word)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ConfigError(
                f"line {key_node.start_mark.line + 1}: key '{key}' given twice in one mapping "
                f"(first on line {seen[key]}); remove one"
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, source: str = "config") -> object:
    """Parse YAML with the safe loader, duplicate keys refused (the error names ``source``)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def check_run_paths(config: dict) -> None:
    """Refuse a run whose outputs would land outside the results folder it names.

    ``run.name`` is one folder name (no ``.``/``..``, the schema's pattern); a relative
    ``run.results_dir`` may not climb out of the working folder (``..``): outputs outside the
    project are written only to an absolute ``results_dir``, given on purpose.
    """
    name = config["run"]["name"]
    if name in (".", "..") or "/" in name:
        raise ConfigError(f"key 'run.name': {name!r} is not a folder name of its own")
    results = Path(config["run"]["results_dir"])
    if not str(results).strip():
        raise ConfigError("key 'run.results_dir': empty; expected a folder")
    if not results.is_absolute() and ".." in results.parts:
        raise ConfigError(
            f"key 'run.results_dir': {str(results)!r} climbs out of the working folder; give an "
            "absolute path to write results outside it"
        )


def load_schema(path: str | Path = SCHEMA_PATH) -> dict:
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"config schema not found at {path} (is trackgnn installed from a checkout?)")
    return yaml.safe_load(path.read_text())


def _accepts_string(schema: dict) -> bool:
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if "enum" in schema:
        return any(isinstance(v, str) for v in schema["enum"])
    return not kinds or "string" in kinds


def coerce_strings(config: object, schema: dict) -> object:
    """Values given as text where the schema wants numbers, booleans, null or lists are read
    as YAML (Snakemake's ``--config run={"seed": 7}`` passes nested values as strings)."""
    if isinstance(config, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in config.items():
            sub = props.get(key, extra if isinstance(extra, dict) else {})
            config[key] = coerce_strings(value, sub)
        return config
    if isinstance(config, list) and isinstance(schema.get("items"), dict):
        return [coerce_strings(v, schema["items"]) for v in config]
    if isinstance(config, str) and schema and not _accepts_string(schema):
        try:
            parsed = yaml.safe_load(config)
        except yaml.YAMLError:
            return config
        return config if isinstance(parsed, str) else coerce_strings(parsed, schema)
    return config


def validate_config(config: dict, schema: dict | None = None, source: str = "config", coerce: bool = False) -> dict:
    """Fill defaults into ``config`` in place and check it; returns it.

    ``coerce`` first reads text values as YAML where the schema wants another type (for
    values passed on Snakemake's command line). Sections under an old name are renamed first,
    with a warning (:mod:`trackgnn.config_legacy`).

    Raises:
        ConfigError: naming the dotted key (``gnn.hidden``) and what was expected.
    """
    from trackgnn.config_legacy import rename_legacy_keys

    rename_legacy_keys(config, source)
    schema = load_schema() if schema is None else schema
    if coerce:
        coerce_strings(config, schema)
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
    from trackgnn.config_checks import semantic_errors

    problems = semantic_errors(config)
    if problems:
        raise ConfigError(f"{source}: {problems[0]}")
    try:
        check_run_paths(config)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    schema_order(config, schema)
    return config


def schema_order(config: dict, schema: dict) -> None:
    """Put the keys of ``config`` (in place, recursively) in the order of the schema's properties.

    A key given in a file and the same key filled in as a default would otherwise sit at
    different positions, and Snakemake, which compares a rule's params by their printed form,
    would rerun a stage whose settings did not change. Keys the schema does not list keep
    their order, after the listed ones.
    """
    properties = schema.get("properties")
    if not isinstance(config, dict) or not properties:
        return
    items = list(config.items())
    ranks = {name: i for i, name in enumerate(properties)}
    items.sort(key=lambda item: ranks.get(item[0], len(ranks)))
    config.clear()
    for key, value in items:
        config[key] = value
        if key in properties:
            schema_order(value, properties[key])


def stage_section(config: dict, name: str) -> dict:
    """A copy of the ``name`` section of a config read by :func:`load_config` or
    :func:`validate_config` (schema defaults filled): the one way a stage reads its settings.

    A training seed left ``null`` (``<name>.training.seed``, ``metric_learning.seed``) is replaced
    by ``run.seed``. A partial config (tests, notebooks) is completed first with
    ``validate_config({name: partial})``.

    Raises:
        ConfigError: ``config`` was not validated (it lacks ``run`` or the section).
    """
    if (
        not isinstance(config, dict)
        or not isinstance(config.get("run"), dict)
        or not isinstance(config.get(name), dict)
    ):
        raise ConfigError(
            f"config section '{name}': not a validated config (no 'run' or '{name}' section); read it with "
            f"trackgnn.config.load_config, or complete a partial one with validate_config({{'{name}': ...}})"
        )
    section = copy.deepcopy(config[name])
    for holder in (section, section.get("training")):
        if isinstance(holder, dict) and "seed" in holder and holder["seed"] is None:
            holder["seed"] = int(config["run"]["seed"])
    return section


@functools.lru_cache(maxsize=1)
def _schema_default_config() -> dict:
    return validate_config({})


def schema_defaults(name: str) -> dict:
    """A fresh copy of section ``name`` as the schema defaults it: what the dataclass
    configs (``SimulationConfig``, ``FittingConfig``) fill missing keys from, so that they
    keep no default of their own that could drift from the schema."""
    return copy.deepcopy(_schema_default_config()[name])


def read_run_config(path: str | Path) -> dict:
    """The ``config.resolved.json`` a run wrote, as written but with old section names renamed
    (:mod:`trackgnn.config_legacy`); not validated, so that a page can still be made from an
    earlier run whose config holds keys this version no longer knows."""
    from trackgnn.config_legacy import rename_legacy_keys

    path = Path(path)
    try:
        config = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: expected a mapping of sections at the top level")
    return rename_legacy_keys(config, str(path))


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
            config = load_yaml(path.read_text(), str(path)) or {}
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'YAML'}: {exc}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: expected a mapping of sections at the top level")
    return validate_config(config, source=str(path))
