"""Train an embedding model on feature-store shards and export the best checkpoint."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

from trackgnn.config import stage_section
from trackgnn.data import read_store
from trackgnn.graph_construction.config import model_hparams
from trackgnn.utils.jsonio import write_json

log = logging.getLogger(__name__)

TRAIN_ARRAYS = (
    "x",
    "truth_edges",
    "truth_target",
    "particle_id",
    "pt",
    "node_target",
    "volume_id",
    "layer_id",
    "module_id",
    "r",
    "z",
    "hit_id",
)


def shard_feature_names(paths: Sequence[str | Path]) -> list[str]:
    """The ``feature_names`` shared by all shards (differences are an error)."""
    names = None
    for path in paths:
        attrs, _ = read_store(path, names=())
        these = attrs.get("feature_names")
        if these is None:
            raise ValueError(f"{path}: no feature_names attribute; not a feature-store shard")
        if names is not None and these != names:
            raise ValueError(f"{path}: feature_names {these} differ from {names} of the other shards")
        names = these
    return names


def train_embedding(
    config: Mapping, train: Sequence[str | Path], val: Sequence[str | Path], out_dir: str | Path, resume: bool = True
) -> dict:
    """Train with the ``embedding`` config section; writes into ``out_dir``:
    ``checkpoints/`` (best, last), ``logs/`` (CSV, TensorBoard), ``embedding.pt`` +
    ``embedding.json`` (best model, weights only) and ``metrics.json``.

    Args:
        config: whole validated config (section ``embedding``; a null seed is ``run.seed``).
        train, val: feature-store shards with truth.
        resume: continue from ``out_dir/checkpoints/last.ckpt`` when present.

    Returns:
        the metrics written to ``metrics.json``.
    """
    import torch

    from trackgnn.data.datamodule import GraphDataModule
    from trackgnn.data.views import part_views
    from trackgnn.graph_construction.base import EmbeddingBase
    from trackgnn.graph_construction.export import load_checkpoint_state, save_model
    from trackgnn.training import build_trainer, input_stamps, last_checkpoint, seed_everything

    cfg = stage_section(config, "metric_learning")
    if not train or not val:
        raise ValueError("train-embedding needs at least one train and one val shard")
    out_dir = Path(out_dir)
    seed_everything(int(cfg["seed"]))
    if cfg["threads"]:
        torch.set_num_threads(int(cfg["threads"]))
    features = shard_feature_names(list(train) + list(val))
    model = EmbeddingBase(**model_hparams(cfg, len(features), features))
    data = GraphDataModule(train, val, batch_size=1, names=TRAIN_ARRAYS)
    data.setup()
    for split in ("train", "val"):
        data.graphs[split] = [g for g in data.graphs[split] if g.num_nodes > 0]
        if not data.graphs[split]:
            raise ValueError(f"train-embedding: no {split} event with hits")
    data.graphs["train"] = part_views(data.graphs["train"], int(cfg["steps_per_event"]))
    trainer = build_trainer(cfg["training"], out_dir, "embedding", "metric_learning")
    fingerprint = {
        "embedding": cfg,
        "train": [str(p) for p in train],
        "val": [str(p) for p in val],
        "inputs": input_stamps([*train, *val]),
    }
    ckpt = last_checkpoint(out_dir, fingerprint) if resume else None
    if ckpt:
        log.info("resuming from %s", ckpt)
    trainer.fit(model, datamodule=data, ckpt_path=ckpt, weights_only=True)
    best = trainer.checkpoint_callback.best_model_path or str(last_checkpoint(out_dir) or "")
    if not best:
        raise ValueError(f"train-embedding: no checkpoint was written in {out_dir}")
    save_model(model, out_dir, load_checkpoint_state(best))
    metrics = {
        "best_checkpoint": str(best),
        "epochs": int(trainer.current_epoch),
        "best_score": _float(trainer.checkpoint_callback.best_model_score),
        "monitor": cfg["training"]["monitor"],
        "last": {k: _float(v) for k, v in trainer.callback_metrics.items()},
        "n_train_events": len(data.graphs["train"]),
        "n_val_events": len(data.graphs["val"]),
        "feature_names": features,
    }
    write_json(out_dir / "metrics.json", metrics)
    return metrics


def _float(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value
