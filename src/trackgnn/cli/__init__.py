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
    except KeyboardInterrupt:
        print(f"trackgnn {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one error boundary: every failure is one line, exit 1
        if args.verbose:
            raise
        print(f"trackgnn {args.command}: error: {describe_error(exc)}", file=sys.stderr)
        return 1


def describe_error(exc: BaseException) -> str:
    """One line for a failure: the message of input and config errors (which name the file,
    key or row), the exception type and first line for anything unexpected."""
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if isinstance(exc, (ValueError, OSError, KeyError)) and lines:
        return " ".join(line.strip() for line in lines)
    first = lines[0] if lines else "no message"
    return f"{type(exc).__name__}: {first} (unexpected; rerun with 'trackgnn -v' for the traceback)"


if __name__ == "__main__":
    sys.exit(main())
