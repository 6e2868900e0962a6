"""The ``metric_learning`` config section: which of its keys are model hyperparameters.

Defaults and ranges of every key are in ``src/trackgnn/schemas/config.schema.yaml``; a stage reads
the section with :func:`trackgnn.config.stage_section`. Model/optimiser keys become the
LightningModule's ``hparams`` (plain types only, so checkpoints load with ``weights_only=True``);
graph keys are read by ``build-graphs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Keys of the ``metric_learning`` section stored with the model (in ``embedding.json`` and checkpoints).
MODEL_KEYS = (
    "model",
    "hidden",
    "depth",
    "emb_dim",
    "activation",
    "layer_norm",
    "normalize",
    "lr",
    "weight_decay",
    "lr_step",
    "lr_gamma",
    "margin",
    "pos_weight",
    "knn_train",
    "random_pairs",
    "positive_pt_min",
    "radius",
    "knn",
)


def model_hparams(cfg: Mapping[str, Any], in_dim: int, feature_names: list[str]) -> dict[str, Any]:
    """Plain-typed hyperparameters for the model constructor.

    Args:
        cfg: the ``metric_learning`` section of a validated config.
        in_dim: node features :math:`F`.
        feature_names: names of the ``F`` features (stored with the model).
    """
    out = {k: cfg[k] for k in MODEL_KEYS}
    out["in_dim"] = int(in_dim)
    out["feature_names"] = [str(f) for f in feature_names]
    return out
