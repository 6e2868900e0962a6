"""Argument helpers shared by the subcommands."""

from __future__ import annotations

import argparse

from trackgnn.utils.outdir import atomic_directory

__all__ = ["add_config_argument", "atomic_directory", "event_id_list"]


def event_id_list(text: str) -> list[int]:
    """Parse ``"1,2,5-7"`` into ``[1, 2, 5, 6, 7]``."""
    ids: list[int] = []
    try:
        for part in filter(None, (p.strip() for p in text.split(","))):
            if "-" in part:
                low, high = (int(v) for v in part.split("-", 1))
                ids.extend(range(low, high + 1))
            else:
                ids.append(int(part))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected event ids like '1,2,5-7', got {text!r}") from None
    return ids


def add_config_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--config",
        required=required,
        help="run config YAML (validated against the schema trackgnn/schemas/config.schema.yaml; defaults filled)",
    )
