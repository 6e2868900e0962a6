"""Every failure of a command is one line on stderr and exit code 1; -v shows the traceback."""

from __future__ import annotations

import pytest

import trackgnn.cli as cli


def _failing(exc):
    def func(args):
        raise exc

    return func


@pytest.fixture
def failing_command(monkeypatch):
    """``trackgnn score`` whose work raises the exception the test sets."""
    holder = {}
    original = cli.build_parser

    def build_parser():
        parser = original()
        sub = next(a for a in parser._actions if a.dest == "command")
        sub.choices["score"].set_defaults(func=lambda args: _failing(holder["exc"])(args))
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    return holder


ARGS = ["score", "--event-dir", "x", "--tracks", "y"]


@pytest.mark.parametrize(
    "exc, expected",
    [
        (
            RuntimeError("Error(s) in loading state_dict:\n\tMissing key(s)"),
            "RuntimeError: Error(s) in loading state_dict:",
        ),
        (ValueError("a.h5: 3 of 10 scores are NaN"), "a.h5: 3 of 10 scores are NaN"),
        (KeyError("unknown gnn model 'foo'"), "unknown gnn model 'foo'"),
        (IsADirectoryError("out: is a folder"), "out: is a folder"),
        (TypeError("__init__() got an unexpected keyword argument 'hiden'"), "TypeError: __init__()"),
    ],
)
def test_one_line_and_exit_1(failing_command, capsys, exc, expected):
    failing_command["exc"] = exc
    assert cli.main(ARGS) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("trackgnn score: error: ") and expected in err
    assert "Traceback" not in err


def test_verbose_shows_the_traceback(failing_command):
    failing_command["exc"] = RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        cli.main(["-v", *ARGS])


def test_interrupt_is_130(failing_command, capsys):
    failing_command["exc"] = KeyboardInterrupt()
    assert cli.main(ARGS) == 130
    assert "interrupted" in capsys.readouterr().err
