"""``trackgnn train-gnn``, ``score-edges`` and ``compare-gnn``: the GNN stage."""

from __future__ import annotations

import argparse
import json

from trackgnn.edge_classifier.cli import add_apply_arguments, add_train_arguments


def register(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train-gnn",
        help="train the GNN edge classifier (gnn.model) on filtered graph shards",
        description=(
            "Train the model named by gnn.model. Writes OUT/gnn.pt (weights-only state dict), OUT/gnn.json "
            "(hyperparameters), OUT/metrics.json, checkpoints and CSV/TensorBoard logs; resumes from "
            "OUT/checkpoints/last.ckpt if present. gnn.training.devices/strategy select GPUs and DDP."
        ),
    )
    add_train_arguments(train, "gnn")
    train.set_defaults(func=_train)

    score = subparsers.add_parser(
        "score-edges",
        help="add gnn_score to every edge of a graph shard",
        description="Score all edges with a trained GNN (no edge removed); metrics at gnn.cut to --metrics.",
    )
    add_apply_arguments(score, "gnn", "train-gnn", "(filtered) graph shard", "scored graph shard")
    score.set_defaults(func=_score)

    compare = subparsers.add_parser(
        "compare-gnn",
        help="train and evaluate every registered GNN on the same data; write a comparison table",
        description=(
            "For each model (default: all registered), train with the gnn section (hyperparameters from "
            "gnn.models.<name>) and evaluate on --test. Writes TABLE_DIR/comparison.{csv,json,md}."
        ),
    )
    compare.add_argument("--config", help="YAML config (section 'gnn')")
    compare.add_argument("--train", nargs="+", required=True, metavar="H5")
    compare.add_argument("--val", nargs="+", required=True, metavar="H5")
    compare.add_argument("--test", nargs="+", required=True, metavar="H5")
    compare.add_argument("--out", required=True, metavar="TABLE_DIR")
    compare.add_argument("--models", nargs="+", metavar="NAME", help="subset of registered models")
    compare.set_defaults(func=_compare)


def _train(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.gnn.run import train_gnn

    metrics = train_gnn(load_config(args.config), args.train, args.val, args.out)
    print(json.dumps({k: metrics["val"].get(k) for k in ("efficiency", "purity", "auc")}))
    return 0


def _score(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.gnn.run import score_edges

    score_edges(load_config(args.config), args.model, args.input, args.out, args.metrics, args.device)
    return 0


def _compare(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.gnn.compare import compare_models
    from trackgnn.utils.jsonio import jsonable

    rows = compare_models(load_config(args.config), args.train, args.val, args.test, args.out, args.models)
    print(json.dumps(jsonable(rows), indent=1))  # valid JSON: NaN figures as null
    return 0
