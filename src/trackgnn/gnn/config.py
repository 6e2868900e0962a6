"""The ``gnn:`` config section: defaults and validation."""

from __future__ import annotations

from trackgnn.filtering.config import TRAINING_DEFAULTS, merge_section, validate_common

GNN_DEFAULTS = {
    "model": "interaction_network",
    "models": {
        "interaction_network": {
            "hidden": 48, "n_iterations": 6, "n_layers": 2, "aggregation": "sum_max",
            "layer_norm": True, "checkpointing": False,
        },
        "attention_gnn": {"hidden": 48, "n_iterations": 6, "n_layers": 2, "layer_norm": True},
    },
    "edge_features": True,
    "label": "y",
    "pos_weight": 2.0,
    "target_weight": 3.0,
    "non_target_weight": 1.0,
    "cut": 0.8,
    "training": {**TRAINING_DEFAULTS, "max_epochs": 25, "lr": 5.0e-3, "warmup_steps": 30, "patience": 6},
}


def gnn_config(cfg: dict | None) -> dict:
    """The complete ``gnn`` section of a loaded config (defaults filled in, validated)."""
    section = merge_section(GNN_DEFAULTS, (cfg or {}).get("gnn"), "gnn")
    validate_common(section, "gnn")
    return section
