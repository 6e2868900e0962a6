"""``trackgnn train-embedding``, ``build-graphs`` and ``radius-scan``: metric-learning graph construction."""

from __future__ import annotations

import argparse


def train(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.graph_construction.train import train_embedding

    train_embedding(load_config(args.config), args.train, args.val, args.out, resume=not args.no_resume)
    return 0


def build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trackgnn.config import load_config
    from trackgnn.graph_construction.build import build_graphs

    cfg = load_config(args.config)
    build_graphs(cfg, args.model, args.input, args.out, args.metrics)
    if args.curve:
        stem = Path(args.curve)
        _radius_scan(cfg, args.model, args.input, stem.with_suffix(".json"), stem.with_suffix(".png"))
    return 0


def scan(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trackgnn.config import load_config

    _radius_scan(
        load_config(args.config), args.model, args.input, Path(args.json), Path(args.png) if args.png else None
    )
    return 0


def _radius_scan(cfg, model, shard, json_path, png_path) -> None:
    from trackgnn.graph_construction.curve import efficiency_curve, write_curve

    write_curve(efficiency_curve(cfg, model, shard), json_path, png_path)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "train-embedding", help="train the metric-learning embedding (config section 'metric_learning')"
    )
    p.add_argument("--config", required=True, help="YAML config")
    p.add_argument("--train", required=True, nargs="+", help="feature-store shards with truth")
    p.add_argument("--val", required=True, nargs="+", help="validation shards")
    p.add_argument(
        "--out", required=True, help="output folder: embedding.pt, embedding.json, metrics.json, checkpoints/, logs/"
    )
    p.add_argument("--no-resume", action="store_true", help="ignore a last.ckpt left in --out")
    p.set_defaults(func=train)

    b = subparsers.add_parser("build-graphs", help="embed hits and build radius graphs of a feature-store shard")
    b.add_argument("--config", required=True, help="YAML config")
    b.add_argument("--model", required=True, help="folder written by train-embedding")
    b.add_argument("--input", required=True, help="feature-store shard")
    b.add_argument("--out", required=True, help="output graph shard (HDF5)")
    b.add_argument("--metrics", help="metrics JSON (efficiency, purity, edges/hit, graph sizes)")
    b.add_argument(
        "--curve", help="also scan metric_learning.curve_radii: writes CURVE.json and CURVE.png (needs truth)"
    )
    b.set_defaults(func=build)

    c = subparsers.add_parser(
        "radius-scan", help="edge efficiency vs edges per hit over metric_learning.curve_radii (needs truth)"
    )
    c.add_argument("--config", required=True, help="YAML config")
    c.add_argument("--model", required=True, help="folder written by train-embedding")
    c.add_argument("--input", required=True, help="feature-store shard with truth")
    c.add_argument("--json", required=True, help="rows {radius, efficiency, purity, edges_per_hit, n_dropped}")
    c.add_argument("--png", help="the curve as a plot")
    c.set_defaults(func=scan)
