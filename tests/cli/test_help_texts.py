"""Every ``trackgnn`` sub-command's ``--help`` renders: argparse expands ``%(default)s`` and
``%%`` only in help strings, so a description written with ``%%`` prints the two signs."""

from __future__ import annotations

import argparse

import pytest

from trackgnn.cli import build_parser


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(subparsers.choices)


COMMANDS = _commands()


def test_there_are_commands_to_check():
    assert {"score", "simulate", "build-tracks", "summary"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_renders_without_literal_percent_signs(name, capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([name, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert f"usage: trackgnn {name}" in text or name in text.splitlines()[0]
    assert "%%" not in text and "%(" not in text, text
