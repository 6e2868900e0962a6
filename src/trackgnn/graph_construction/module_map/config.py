"""The ``module_map`` config section, checked once (defaults mirror the schema)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Defaults of ``module_map`` (the schema documents each key).
DEFAULTS: dict[str, Any] = {
    "events": 200,
    "first_event_id": 100000,
    "seed": 1234,
    "pt_min": 0.9,
    "margin": 0.05,
    "rotation": True,
    "mirror": True,
    "chunk": 1 << 18,
    "threads": 1,
    "simulation": {"mu": 200, "pt_min": 0.9, "particles_per_interaction": 8.4, "hard_fraction": 0.1, "noise": 0.0},
}


def module_map_config(config: Mapping[str, Any] | None) -> dict:
    """``config['module_map']`` over :data:`DEFAULTS`, checked.

    Raises:
        ValueError: naming the key (``module_map.margin``) and what was expected.
    """
    section = dict((config or {}).get("module_map") or {})
    unknown = sorted(set(section) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"module_map: unknown key(s) {unknown}; expected some of {sorted(DEFAULTS)}")
    cfg = {**DEFAULTS, **section}
    for key in ("events", "first_event_id", "seed", "chunk", "threads"):
        least = 0 if key in ("first_event_id", "seed") else 1
        if isinstance(cfg[key], bool) or not isinstance(cfg[key], int) or cfg[key] < least:
            raise ValueError(f"module_map.{key}: got {cfg[key]!r}; expected an integer >= {least}")
    for key in ("pt_min", "margin"):
        if isinstance(cfg[key], bool) or not isinstance(cfg[key], (int, float)) or not cfg[key] >= 0:
            raise ValueError(f"module_map.{key}: got {cfg[key]!r}; expected a number >= 0")
    for key in ("rotation", "mirror"):
        if not isinstance(cfg[key], bool):
            raise ValueError(f"module_map.{key}: got {cfg[key]!r}; expected true or false")
    if not isinstance(cfg["simulation"], Mapping):
        raise ValueError(f"module_map.simulation: got {cfg['simulation']!r}; expected a mapping of simulation keys")
    return cfg


def map_simulation(config: Mapping[str, Any] | None) -> dict:
    """The simulation settings of the map events: ``simulation`` with ``module_map.simulation`` over it."""
    return {**dict((config or {}).get("simulation") or {}), **dict(module_map_config(config)["simulation"])}


def graph_method(config: Mapping[str, Any] | None) -> str:
    """``graph_construction.method``: ``metric_learning`` (default) or ``module_map``."""
    method = ((config or {}).get("graph_construction") or {}).get("method", "metric_learning")
    if method not in ("metric_learning", "module_map"):
        raise ValueError(f"graph_construction.method: got {method!r}; expected 'metric_learning' or 'module_map'")
    return method
