"""The ``embedding`` config section: model hyperparameters, training, graph building.

Model/optimiser keys become the LightningModule's ``hparams`` (plain types only, so
checkpoints load with ``weights_only=True``); graph keys are read by ``build-graphs``.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping

#: Hyperparameters stored with the model (in ``embedding.json`` and checkpoints).
MODEL_DEFAULTS: dict[str, Any] = {
    "model": "mlp",
    "hidden": 128,
    "depth": 3,
    "emb_dim": 8,
    "activation": "tanh",
    "layer_norm": True,
    "normalize": True,
    "lr": 1e-3,
    "weight_decay": 0.0,
    "lr_step": 10,
    "lr_gamma": 0.5,
    "margin": 0.1,
    "pos_weight": 1.0,
    "knn_train": 20,
    "random_pairs": 2.0,
    "positive_pt_min": 0.0,
    "radius": 0.45,
    "knn": 50,
}
#: Settings used outside the model.
OTHER_DEFAULTS: dict[str, Any] = {
    "seed": 42,
    "backend": "kdtree",
    "backend_options": {},
    "threads": None,
    "batch_size": 1,
    "steps_per_event": 1,
    "curve_radii": [0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6],
    "curve_knn": None,
    "training": {"max_epochs": 30, "patience": 6, "monitor": "val_loss", "mode": "min"},
}
DEFAULTS = {**MODEL_DEFAULTS, **OTHER_DEFAULTS}


def embedding_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``embedding`` section of a whole config merged over :data:`DEFAULTS`.

    Raises:
        ValueError: an unknown key or an out-of-range value.
    """
    section = dict((config or {}).get("embedding") or {})
    unknown = sorted(set(section) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"embedding: unknown key(s) {unknown}; expected some of {sorted(DEFAULTS)}")
    cfg = copy.deepcopy(DEFAULTS)
    training = {**cfg["training"], **(section.pop("training", None) or {})}
    cfg.update(section)
    cfg["training"] = training
    for key in ("hidden", "depth", "emb_dim", "batch_size", "steps_per_event"):
        if not isinstance(cfg[key], int) or cfg[key] < 1:
            raise ValueError(f"embedding.{key} must be a positive integer, got {cfg[key]!r}")
    for key in ("radius", "margin", "lr"):
        if not float(cfg[key]) > 0:
            raise ValueError(f"embedding.{key} must be > 0, got {cfg[key]!r}")
    if cfg["knn"] is not None and int(cfg["knn"]) < 1:
        raise ValueError(f"embedding.knn must be >= 1 or null (no cap), got {cfg['knn']!r}")
    curve_knn = cfg["curve_knn"]
    if curve_knn is not None and (
        not isinstance(curve_knn, list) or not curve_knn
        or any(k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1) for k in curve_knn)
    ):
        raise ValueError(f"embedding.curve_knn must be null or a non-empty list of integers >= 1 (or null: no cap), got {curve_knn!r}")
    if cfg["batch_size"] != 1:
        raise ValueError("embedding.batch_size must be 1 (pairs are sampled per event)")
    return cfg


def model_hparams(cfg: Mapping[str, Any], in_dim: int, feature_names: list[str]) -> dict[str, Any]:
    """Plain-typed hyperparameters for the model constructor."""
    out = {k: cfg[k] for k in MODEL_DEFAULTS}
    out["in_dim"] = int(in_dim)
    out["feature_names"] = [str(f) for f in feature_names]
    return out
