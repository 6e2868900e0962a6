"""The ``filter:`` config section: defaults and merging with a user's YAML.

The same helpers serve the ``gnn:`` section (:mod:`trackgnn.gnn.config`).
"""

from __future__ import annotations

import copy

#: Learning-rate and schedule keys shared by both edge-classifier stages, next to the
#: Trainer keys of :data:`trackgnn.training.trainer.DEFAULTS`.
TRAINING_DEFAULTS = {
    "max_epochs": 10,
    "accelerator": "cpu",
    "devices": 1,
    "strategy": "auto",
    "precision": "32-true",
    "patience": 4,
    "monitor": "val_loss",
    "mode": "min",
    "log_every_n_steps": 10,
    "gradient_clip_val": 1.0,
    "seed": 0,
    "lr": 3.0e-3,
    "weight_decay": 1.0e-5,
    "warmup_steps": 30,
    "scheduler": "cosine",  # cosine | step | none
    "min_lr_ratio": 0.05,  # cosine floor as a fraction of lr
    "step_epochs": 5,  # step scheduler: decay every n epochs
    "step_gamma": 0.5,
    "batch_size": 1,
    "num_threads": 0,  # torch CPU threads; 0 = leave torch's default
    "sectors": 1,  # phi sectors per training event, one optimiser step each
}

FILTER_DEFAULTS = {
    "model": "mlp",
    "models": {"mlp": {"hidden": 64, "n_layers": 3, "layer_norm": True, "dropout": 0.0}},
    "edge_features": True,
    "label": "y",  # y (truth graph) or y_pid (same particle)
    "hard_negatives": None,  # candidate fakes per true edge in training; null = all of them
    "random_negatives": 1.0,  # random node pairs per true edge in training
    "pos_weight": 1.0,
    "target_weight": 5.0,  # loss weight of true edges of target particles
    "non_target_weight": 0.1,  # loss weight of other true edges
    "cut": 0.015,
    # when set, the cut is chosen on the validation shards after training: the largest that
    # keeps this fraction of the target edges the filter receives (``cut`` is then unused)
    "target_efficiency": None,
    "chunk_size": 500000,  # edges scored at once at inference
    "training": {**TRAINING_DEFAULTS, "max_epochs": 30, "patience": 8},
}


def merge_section(defaults: dict, user: dict | None, where: str) -> dict:
    """``defaults`` updated by ``user`` (nested dicts merged); unknown keys raise ``ValueError``.

    ``models`` is open: a user may add hyperparameters for any model name.
    """
    out = copy.deepcopy(defaults)
    for key, value in (user or {}).items():
        if key not in out:
            raise ValueError(f"unknown config key '{where}.{key}'; expected one of {sorted(out)}")
        if key == "models":
            if not isinstance(value, dict):
                raise ValueError(f"'{where}.models' must map model names to hyperparameters")
            for name, hparams in value.items():
                out["models"][name] = {**out["models"].get(name, {}), **(hparams or {})}
        elif isinstance(out[key], dict):
            if not isinstance(value, dict):
                raise ValueError(f"'{where}.{key}' must be a mapping, got {value!r}")
            out[key] = merge_section(out[key], value, f"{where}.{key}")
        else:
            out[key] = value
    return out


def filter_config(cfg: dict | None) -> dict:
    """The complete ``filter`` section of a loaded config (defaults filled in, validated)."""
    section = merge_section(FILTER_DEFAULTS, (cfg or {}).get("filter"), "filter")
    validate_common(section, "filter")
    efficiency = section["target_efficiency"]
    if efficiency is not None and not 0.0 < float(efficiency) <= 1.0:
        raise ValueError(f"filter.target_efficiency must be in (0, 1] or null, got {efficiency}")
    return section


def validate_common(section: dict, where: str) -> None:
    """Checks shared by both stages; ``ValueError`` names the offending key."""
    if section["label"] not in ("y", "y_pid"):
        raise ValueError(f"{where}.label must be 'y' or 'y_pid', got {section['label']!r}")
    if not 0.0 <= float(section["cut"]) < 1.0:
        raise ValueError(f"{where}.cut must be in [0, 1), got {section['cut']}")
    if section["model"] not in section["models"]:
        section["models"][section["model"]] = {}
    training = section["training"]
    if int(training["sectors"]) < 1:
        raise ValueError(f"{where}.training.sectors must be >= 1, got {training['sectors']}")
    if training["scheduler"] not in ("cosine", "step", "none"):
        raise ValueError(f"{where}.training.scheduler must be cosine, step or none, got {training['scheduler']!r}")
    if float(training["lr"]) <= 0:
        raise ValueError(f"{where}.training.lr must be positive")
