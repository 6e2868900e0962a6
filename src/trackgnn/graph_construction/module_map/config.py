"""The ``module_map`` and ``graph_construction`` config sections, read the one way every stage
reads its section (:func:`trackgnn.config.stage_section`): the schema gives every default and
range, so there is no second list of them here."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


def _validated(config: Mapping[str, Any] | None) -> dict:
    """``config`` itself when it was validated, else a validated copy (partial configs of tests
    and notebooks: errors name the key, e.g. ``module_map.margin``)."""
    from trackgnn.config import validate_config

    config = dict(config or {})
    return config if isinstance(config.get("run"), dict) else validate_config(copy.deepcopy(config))


def module_map_config(config: Mapping[str, Any] | None) -> dict:
    """``config['module_map']`` with the schema's defaults."""
    from trackgnn.config import stage_section

    return stage_section(_validated(config), "module_map")


def map_simulation(config: Mapping[str, Any] | None) -> dict:
    """The simulation settings of the map events: ``simulation`` with ``module_map.simulation`` over it."""
    config = _validated(config)
    return {**dict(config["simulation"]), **dict(module_map_config(config)["simulation"])}


def graph_method(config: Mapping[str, Any] | None) -> str:
    """``graph_construction.method``: ``metric_learning`` (default) or ``module_map``."""
    from trackgnn.config import stage_section

    return stage_section(_validated(config), "graph_construction")["method"]
