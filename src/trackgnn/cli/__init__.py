"""The ``trackgnn`` command: one subcommand per pipeline stage.

Each module of this package that defines ``register(subparsers)`` adds its subcommand(s);
``register`` must set ``func`` (taking the parsed ``argparse.Namespace``, returning an exit
code) with ``set_defaults``. Adding a stage therefore never edits this file.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from trackgnn import __version__
from trackgnn.utils.memory import keep_freed_memory


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trackgnn",
        description=(
            "GNN particle-track reconstruction on TrackML-format events. Each subcommand is one "
            "stage of the pipeline; the Snakemake workflow calls them in order. "
            "Run 'trackgnn <command> --help' for a command's options."
        ),
    )
    parser.add_argument("--version", action="version", version=f"trackgnn {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="<command>")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    keep_freed_memory()
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        # Input and config errors carry a message naming the file/key: show it, not a traceback.
        if args.verbose:
            raise
        print(f"trackgnn {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
