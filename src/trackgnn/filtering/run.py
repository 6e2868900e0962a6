"""Python entry points of the filter stage (what ``train-filter`` and ``filter-graphs`` call)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from trackgnn.filtering.config import filter_config


def train_filter(cfg: dict, train: Sequence[str | Path], val: Sequence[str | Path], out_dir: str | Path) -> dict:
    """Train the filter of ``cfg['filter']``; writes ``out_dir/filter.{pt,json}``, ``metrics.json``."""
    from trackgnn.filtering.base import FilterBase
    from trackgnn.filtering.train import train_stage

    section = filter_config(cfg)
    return train_stage(FilterBase, section, train, val, out_dir, "filter", chunk_size=section["chunk_size"])


def filter_graphs(
    cfg: dict, model_dir: str | Path, input_path: str | Path, out_path: str | Path,
    metrics_path: str | Path | None = None, device: str = "cpu",
) -> dict:
    """Score the edges of a graph shard and remove those at or below ``filter.cut`` (or, with
    ``filter.target_efficiency`` set, the cut chosen on the validation shards at training)."""
    from trackgnn.filtering.apply import apply_to_shard
    from trackgnn.filtering.export import load_exported
    from trackgnn.filtering.registry import FILTER_MODELS
    from trackgnn.utils.device import check_device
    import trackgnn.filtering.models  # noqa: F401  (registers models)

    section = filter_config(cfg)
    check_device(device)
    net, hparams = load_exported(model_dir, "filter", FILTER_MODELS)
    net.to(device)
    cut = float(section["cut"] if section["target_efficiency"] is None else hparams["cut"])
    return apply_to_shard(
        net, hparams, input_path, out_path, "filter_score", cut, remove=True,
        metrics_path=metrics_path, chunk_size=section["chunk_size"], device=device, stage="filter",
    )
