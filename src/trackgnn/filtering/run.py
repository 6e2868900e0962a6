"""Python entry points of the filter stage (what ``train-filter`` and ``filter-graphs`` call)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trackgnn.config import stage_section


def train_filter(cfg: dict, train: Sequence[str | Path], val: Sequence[str | Path], out_dir: str | Path) -> dict:
    """Train the filter of ``cfg['filtering']`` (``cfg`` validated: :func:`trackgnn.config.load_config`);
    writes ``out_dir/filter.{pt,json}``, ``metrics.json``."""
    from trackgnn.edge_classifier.train import train_stage
    from trackgnn.filtering.base import FilterBase

    section = stage_section(cfg, "filtering")
    return train_stage(
        FilterBase, section, train, val, out_dir, "filter", chunk_size=section["chunk_size"], section_name="filtering"
    )


def load_filter(model_dir: str | Path):
    """``(net, hparams)`` of an exported filter (weights-only load, integrity checked)."""
    import trackgnn.filtering.models  # noqa: F401  (registers models)
    from trackgnn.edge_classifier.export import load_exported
    from trackgnn.filtering.registry import FILTER_MODELS

    return load_exported(model_dir, "filter", FILTER_MODELS)


def filter_graphs(
    cfg: dict,
    model_dir: str | Path,
    input_path: str | Path,
    out_path: str | Path,
    metrics_path: str | Path | None = None,
    device: str = "cpu",
) -> dict:
    """Score the edges of a graph shard and remove those at or below ``filtering.cut`` (or, with
    ``filtering.target_efficiency`` set, the cut chosen on the validation shards at training)."""
    from trackgnn.edge_classifier.apply import apply_to_shard
    from trackgnn.utils.device import check_device

    section = stage_section(cfg, "filtering")
    check_device(device)
    net, hparams = load_filter(model_dir)
    net.to(device)
    cut = float(section["cut"] if section["target_efficiency"] is None else hparams["cut"])
    return apply_to_shard(
        net,
        hparams,
        input_path,
        out_path,
        "filter_score",
        cut,
        remove=True,
        metrics_path=metrics_path,
        chunk_size=section["chunk_size"],
        device=device,
        stage="filter",
    )
