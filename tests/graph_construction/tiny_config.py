"""A tiny metric-learning config so that tests train in seconds."""

import copy

from trackgnn.config import stage_section, validate_config

TINY = {
    "metric_learning": {
        "hidden": 16,
        "depth": 2,
        "emb_dim": 4,
        "knn_train": 5,
        "random_pairs": 1.0,
        "radius": 0.3,
        "knn": 20,
        "threads": 1,
        "curve_radii": [0.1, 0.3, 0.6],
        "training": {"max_epochs": 2, "patience": 0},
    }
}


def full(partial: dict) -> dict:
    """``partial`` completed with the schema's defaults, as a stage receives its config."""
    return validate_config(copy.deepcopy(partial))


def section(partial: dict) -> dict:
    """The ``metric_learning`` section of ``partial`` completed with the schema's defaults."""
    return stage_section(full(partial), "metric_learning")
