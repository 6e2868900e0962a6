"""Python entry points of the GNN stage (what ``train-gnn`` and ``score-edges`` call)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trackgnn.config import stage_section


def train_gnn(cfg: dict, train: Sequence[str | Path], val: Sequence[str | Path], out_dir: str | Path) -> dict:
    """Train ``cfg['gnn']['model']`` (``cfg`` validated); writes ``out_dir/gnn.{pt,json}`` and ``metrics.json``."""
    from trackgnn.edge_classifier.train import train_stage
    from trackgnn.gnn.base import GNNBase

    return train_stage(GNNBase, stage_section(cfg, "gnn"), train, val, out_dir, "gnn")


def load_gnn(model_dir: str | Path):
    """``(net, hparams)`` of an exported GNN (weights-only load)."""
    import trackgnn.gnn.models  # noqa: F401
    from trackgnn.edge_classifier.export import load_exported
    from trackgnn.gnn.registry import GNN_MODELS

    return load_exported(model_dir, "gnn", GNN_MODELS)


def score_edges(
    cfg: dict,
    model_dir: str | Path,
    input_path: str | Path,
    out_path: str | Path,
    metrics_path: str | Path | None = None,
    device: str = "cpu",
) -> dict:
    """Add ``gnn_score`` to every edge of a shard (no edge removed); figures at ``gnn.cut``."""
    from trackgnn.edge_classifier.apply import apply_to_shard
    from trackgnn.utils.device import check_device

    section = stage_section(cfg, "gnn")
    check_device(device)
    net, hparams = load_gnn(model_dir)
    net.to(device)
    return apply_to_shard(
        net,
        hparams,
        input_path,
        out_path,
        "gnn_score",
        float(section["cut"]),
        remove=False,
        metrics_path=metrics_path,
        device=device,
        stage="gnn",
    )
