"""Model comparison ("Top takeaways"): train and evaluate each registered GNN on the same
data and tabulate edge efficiency, purity, AUC, parameters, training time, inference time
per event and peak inference memory."""

from __future__ import annotations

import copy
import csv
from collections.abc import Sequence
from pathlib import Path

from trackgnn.utils.atomic import atomic_path, atomic_write_text
from trackgnn.utils.jsonio import write_json

COLUMNS = (
    "model",
    "efficiency",
    "purity",
    "auc",
    "parameters",
    "train_seconds",
    "epochs",
    "seconds_per_event",
    "peak_rss_mb",
)


def compare_models(
    cfg: dict,
    train: Sequence[str | Path],
    val: Sequence[str | Path],
    test: Sequence[str | Path],
    out_dir: str | Path,
    models: Sequence[str] | None = None,
) -> list[dict]:
    """Train each model in ``out_dir/<model>/`` and write ``out_dir/comparison.{csv,json,md}``.

    Every model uses the same ``gnn`` section (data, loss, schedule, seed, cut); only
    ``gnn.model`` changes, with that model's ``gnn.models.<name>`` hyperparameters.
    Efficiency/purity/AUC are on ``test`` at ``gnn.cut``; inference time and peak RSS come
    from a separate process (:mod:`trackgnn.edge_classifier.probe`).

    Returns:
        One row (dict with :data:`COLUMNS`) per model.
    """
    import trackgnn.gnn.models  # noqa: F401
    from trackgnn.config import stage_section
    from trackgnn.edge_classifier.apply import evaluate_shards
    from trackgnn.edge_classifier.probe import probe_in_subprocess
    from trackgnn.gnn.registry import GNN_MODELS
    from trackgnn.gnn.run import load_gnn, train_gnn

    names = list(models) if models else GNN_MODELS.names()
    for name in names:
        GNN_MODELS.get(name)  # unknown names fail before any training
    if not test:
        raise ValueError("compare-gnn needs --test shards")
    out_dir = Path(out_dir)
    threads = int(stage_section(cfg, "gnn")["training"]["num_threads"])
    rows = []
    for name in names:
        model_cfg = copy.deepcopy(cfg)
        model_cfg["gnn"]["model"] = name
        trained = train_gnn(model_cfg, train, val, out_dir / name)
        net, hparams = load_gnn(out_dir / name)
        summary, _, _ = evaluate_shards(net, hparams, test, hparams["cut"])
        probe = probe_in_subprocess(test, gnn_dir=out_dir / name, threads=threads)
        rows.append(
            {
                "model": name,
                "efficiency": summary.get("efficiency"),
                "purity": summary.get("purity"),
                "auc": summary.get("auc"),
                "parameters": trained["parameters"],
                "train_seconds": trained["train_seconds"],
                "epochs": trained["epochs"],
                "seconds_per_event": probe["seconds_per_event"],
                "peak_rss_mb": probe["peak_rss_mb"],
            }
        )
    write_table(rows, out_dir)
    return rows


def write_table(rows: list[dict], out_dir: str | Path) -> None:
    """``comparison.csv``, ``comparison.json`` and ``comparison.md`` in ``out_dir``."""
    out_dir = Path(out_dir)
    write_json(out_dir / "comparison.json", rows)
    with atomic_path(out_dir / "comparison.csv") as tmp:
        with open(tmp, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    atomic_write_text(out_dir / "comparison.md", markdown_table(rows))


def markdown_table(rows: list[dict]) -> str:
    """The rows as a GitHub markdown table."""

    def fmt(value) -> str:
        if isinstance(value, float):
            return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
        return str(value)

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(fmt(row.get(c)) for c in COLUMNS) + " |" for row in rows]
    return "\n".join(lines) + "\n"
