"""Train an edge classifier stage (filter or GNN) end to end: seed, data, Trainer with
resume, reload of the best checkpoint, weights-only export and validation figures."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from trackgnn.data import read_store
from trackgnn.edge_classifier.base import TRAIN_ARRAYS
from trackgnn.edge_classifier.metrics import cut_for_efficiency
from trackgnn.utils.jsonio import jsonable, write_json

log = logging.getLogger(__name__)


def node_feature_count(path: str | Path) -> int:
    """Width ``F`` of ``x`` in the first event of a shard."""
    _, events = read_store(path, ["x"])
    if not events:
        raise ValueError(f"{path}: shard holds no events")
    x = next(iter(events.values()))["x"]
    if x.ndim != 2:
        raise ValueError(f"{path}: 'x' must be [N, F], got shape {x.shape}")
    return int(x.shape[1])


def train_stage(
    module_cls,
    section: dict,
    train: Sequence[str | Path],
    val: Sequence[str | Path],
    out_dir: str | Path,
    stem: str,
    chunk_size: int | None = None,
    section_name: str | None = None,
) -> dict:
    """Fit ``module_cls`` (a subclass of ``EdgeClassifierBase``) and export it.

    Resumes from ``out_dir/checkpoints/last.ckpt`` when present. Writes
    ``out_dir/<stem>.pt``, ``out_dir/<stem>.json`` and ``out_dir/metrics.json``.

    Args:
        section: the stage's section of a validated config (:func:`trackgnn.config.stage_section`:
            defaults filled, a null seed replaced by ``run.seed``).
        train, val: shard paths.
        stem: file stem of the export (``filter``, ``gnn``).
        section_name: the config section, named in errors (``filtering``, ``gnn``; default ``stem``).
        chunk_size: edges scored at once during the final evaluation (edge-local models).

    Returns:
        The metrics dict written to ``metrics.json``.
    """
    import torch

    from trackgnn.data.datamodule import GraphDataModule
    from trackgnn.data.views import part_views
    from trackgnn.edge_classifier.apply import evaluate_shards
    from trackgnn.edge_classifier.export import export_model
    from trackgnn.training import build_trainer, last_checkpoint, seed_everything

    if not train or not val:
        raise ValueError("training needs at least one --train and one --val shard")
    training = section["training"]
    if int(training["num_threads"]) > 0:
        torch.set_num_threads(int(training["num_threads"]))
    seed_everything(int(training["seed"]))
    out_dir = Path(out_dir)
    module = module_cls.from_config(section, node_feature_count(train[0]))
    names = list(TRAIN_ARRAYS)
    datamodule = GraphDataModule(train, val, (), batch_size=int(training["batch_size"]), names=names)
    datamodule.setup()
    datamodule.graphs["train"] = part_views(datamodule.graphs["train"], int(training["sectors"]))
    trainer = build_trainer(training, out_dir, stem, section_name)
    # what the checkpoints depend on: config, input shards (paths, sizes, mtimes) and the
    # edge-feature definition (it sets the input width)
    from trackgnn.edge_features import EDGE_FEATURE_NAMES
    from trackgnn.training import input_stamps

    fingerprint = {
        stem: section,
        "train": [str(p) for p in train],
        "val": [str(p) for p in val],
        "inputs": input_stamps([*train, *val]),
        "edge_features": list(EDGE_FEATURE_NAMES),
    }
    resume = last_checkpoint(out_dir, fingerprint)
    if resume is not None:
        log.info("resuming %s training from %s", stem, resume)
    start = time.perf_counter()
    trainer.fit(module, datamodule=datamodule, ckpt_path=resume, weights_only=True)
    train_seconds = time.perf_counter() - start
    best = trainer.checkpoint_callback.best_model_path if trainer.checkpoint_callback else ""
    if best and Path(best).exists():
        state = torch.load(best, map_location="cpu", weights_only=True)["state_dict"]
        module.load_state_dict(state)
    module.eval().cpu()
    hparams = module.export_hparams()
    summary, scores, target = evaluate_shards(module.net, hparams, val, hparams["cut"], chunk_size)
    efficiency = section.get("target_efficiency")
    if efficiency is not None:
        hparams["cut"] = chosen_cut(scores, target, float(efficiency), stem)
        summary, _, _ = evaluate_shards(module.net, hparams, val, hparams["cut"], chunk_size)
    export_model(module.net, hparams, out_dir, stem)
    metrics = {
        "stage": stem,
        "model": hparams["model"],
        "parameters": int(sum(p.numel() for p in module.net.parameters())),
        "train_seconds": train_seconds,
        "epochs": int(trainer.current_epoch),
        "best_checkpoint": str(best),
        "resumed_from": str(resume) if resume else None,
        "val": summary,
        "val_cut_for_99.5pct_stage_efficiency": cut_for_efficiency(scores, target, 0.995),
    }
    metrics = jsonable(json.loads(json.dumps(metrics, default=float)))
    write_json(out_dir / "metrics.json", metrics, sort_keys=True)
    return metrics


def chosen_cut(scores, target, efficiency: float, stem: str) -> float:
    """The largest cut keeping ``efficiency`` of the validation target edges (clamped to >= 0)."""
    import math

    cut = cut_for_efficiency(scores, target, efficiency)
    if math.isnan(cut):
        raise ValueError(f"{stem}.target_efficiency: the validation shards hold no target edge to choose the cut on")
    cut = max(0.0, cut)
    log.info("%s cut %.5g keeps %.4f of the validation target edges", stem, cut, efficiency)
    return cut
