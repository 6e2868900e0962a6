"""Command-line arguments shared by the edge-classifier stages (``train-filter`` /
``filter-graphs``, ``train-gnn`` / ``score-edges``): both stages take the same options, so
they are declared once here and the two ``trackgnn.cli`` modules only name their stage."""

from __future__ import annotations

import argparse


def add_train_arguments(parser: argparse.ArgumentParser, stage: str) -> None:
    """``--config``, ``--train``, ``--val``, ``--out`` of a training subcommand.

    Args:
        parser: the subcommand's parser.
        stage: the config section the command reads (``filtering``, ``gnn``).
    """
    parser.add_argument("--config", help=f"YAML config (section '{stage}'; defaults used when absent)")
    parser.add_argument("--train", nargs="+", required=True, metavar="H5", help="training graph shards")
    parser.add_argument("--val", nargs="+", required=True, metavar="H5", help="validation graph shards")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")


def add_apply_arguments(
    parser: argparse.ArgumentParser, stage: str, train_command: str, input_help: str, out_help: str
) -> None:
    """``--config``, ``--model``, ``--input``, ``--out``, ``--metrics``, ``--device`` of a
    subcommand applying a trained model to one shard.

    Args:
        parser: the subcommand's parser.
        stage: the config section the command reads (``filtering``, ``gnn``).
        train_command: the subcommand that writes the model folder (named in the help).
        input_help, out_help: what the input and output shards are.
    """
    parser.add_argument("--config", help=f"YAML config (section '{stage}')")
    parser.add_argument("--model", required=True, metavar="DIR", help=f"folder written by {train_command}")
    parser.add_argument("--input", required=True, metavar="H5", help=input_help)
    parser.add_argument("--out", required=True, metavar="H5", help=out_help)
    parser.add_argument("--metrics", metavar="JSON", help="metrics output")
    parser.add_argument("--device", default="cpu", help="torch device (cpu, cuda)")
