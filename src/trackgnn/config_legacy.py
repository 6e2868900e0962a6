"""Config keys renamed for one vocabulary across package, config section, rule and folder.

A config section is named as the package or method it configures (issue 27): ``embedding``
became ``metric_learning`` (the method ``graph_construction.method: metric_learning``, beside
its sibling ``module_map``) and ``filter`` became ``filtering`` (the package
``trackgnn.filtering``). Configs written before, and the ``config.resolved.json`` of earlier
runs, still read for one release: :func:`rename_legacy_keys` moves an old section to its new
name with a warning. It runs before schema validation, in :func:`trackgnn.config.validate_config`
(the CLI, the scripts, the workflow) and, per config file, in the workflow (``common.smk``:
Snakemake merges its config files before the workflow sees them, so a preset with the new
names and an older overlay with the old ones must be renamed one file at a time).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable

#: old top-level config section -> its new name
RENAMED_SECTIONS = {"embedding": "metric_learning", "filter": "filtering"}
#: the release that stops reading the old names
REMOVED_IN = "0.2.0"


class ConfigDeprecationWarning(FutureWarning):
    """A config uses a name that still reads but goes away in :data:`REMOVED_IN` (a
    ``FutureWarning``: shown by default, as it is meant for the person who wrote the config)."""


def legacy_keys(config: object) -> list[str]:
    """The old section names ``config`` uses (in :data:`RENAMED_SECTIONS` order)."""
    return [old for old in RENAMED_SECTIONS if isinstance(config, dict) and old in config]


def rename_legacy_keys(config: dict, source: str = "config", report: Callable[[str], None] | None = None) -> dict:
    """Move each old section of ``config`` to its new name, in place (key order kept); returns it.

    Warns (:class:`ConfigDeprecationWarning`) once per old key, naming ``source``, the old key,
    the new key and the release that drops the old one; with ``report`` given, the message
    goes to it instead (the workflow's logger: Snakemake shows no Python warnings raised
    while it reads the Snakefile).

    Raises:
        trackgnn.config.ConfigError: the old and the new name are both given (which one is
            meant cannot be told).
    """
    from trackgnn.config import ConfigError

    for old in legacy_keys(config):
        new = RENAMED_SECTIONS[old]
        if new in config:
            raise ConfigError(
                f"{source}: both '{old}' (the old name) and '{new}' are given; '{old}' was renamed "
                f"'{new}': move its keys into '{new}' and remove '{old}'"
            )
        message = (
            f"{source}: config section '{old}' is deprecated and will be removed in trackgnn "
            f"{REMOVED_IN}; rename it '{new}' (same keys)"
        )
        if report is not None:
            report(f"{ConfigDeprecationWarning.__name__}: {message}")
        else:
            warnings.warn(message, ConfigDeprecationWarning, stacklevel=3)
    if legacy_keys(config):
        renamed = {RENAMED_SECTIONS.get(key, key): value for key, value in config.items()}
        config.clear()
        config.update(renamed)
    return config


def merge_sources(sources: list[tuple[str, dict]], report: Callable[[str], None] | None = None) -> dict:
    """Deep-merge config mappings in order (later wins, as Snakemake merges ``--configfile``
    and ``--config``), each renamed first (:func:`rename_legacy_keys`, named by its source):
    a preset with the new names and an older overlay with the old ones merge into one
    section instead of colliding. ``report``: as in :func:`rename_legacy_keys`."""
    merged: dict = {}
    for source, data in sources:
        _deep_update(merged, rename_legacy_keys(copy.deepcopy(dict(data or {})), source, report))
    return merged


def _deep_update(target: dict, update: dict) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
