"""``trackgnn train-filter`` and ``trackgnn filter-graphs``: the edge-filter stage."""

from __future__ import annotations

import argparse
import json

from trackgnn.edge_classifier.cli import add_apply_arguments, add_train_arguments


def register(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train-filter",
        help="train the MLP edge filter on graph shards",
        description=(
            "Train the edge filter of the config's 'filtering' section. Writes OUT/filter.pt (weights-only "
            "state dict), OUT/filter.json (hyperparameters), OUT/metrics.json (validation figures), "
            "checkpoints and CSV/TensorBoard logs; resumes from OUT/checkpoints/last.ckpt if present."
        ),
    )
    add_train_arguments(train, "filtering")
    train.set_defaults(func=_train)

    apply = subparsers.add_parser(
        "filter-graphs",
        help="score candidate edges and remove those at or below filtering.cut",
        description=(
            "Apply a trained filter to a graph shard: add 'filter_score' and drop edges with score <= "
            "filtering.cut (all per-edge arrays subset together). Metrics (efficiency against the full truth "
            "graph, purity, AUC, edges/hit, timing) go to --metrics when given."
        ),
    )
    add_apply_arguments(apply, "filtering", "train-filter", "graph shard", "filtered graph shard")
    apply.set_defaults(func=_apply)


def _train(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.filtering.run import train_filter

    metrics = train_filter(load_config(args.config), args.train, args.val, args.out)
    print(json.dumps({k: metrics["val"].get(k) for k in ("efficiency", "rejection", "purity", "auc")}))
    return 0


def _apply(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.filtering.run import filter_graphs

    filter_graphs(load_config(args.config), args.model, args.input, args.out, args.metrics, args.device)
    return 0
