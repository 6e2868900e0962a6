"""Every shell command shown in README.md and docs/ works as written.

Each command of a ``bash`` block is checked the cheapest way that still fails on what a
reader would hit: ``snakemake`` commands run as dry runs (config files, ``--config``
overrides, profiles and targets resolved by the real workflow), ``trackgnn`` commands are
parsed by the real argument parser, scripts must exist and accept every option the page
shows (their ``--help``). Placeholders (``EVENTS``, ``C``, ``my_config.yaml``, ``...``) stand
for the reader's own files: a config file that is not in the repository is replaced by an
empty one (every key at its default). Long-running set-up commands (``make``, ``pip``,
``mkdocs``, the diagram script) have tests of their own.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
SKIP_PROGRAMS = {"make", "export", "bash", "pip", "mkdocs", "printf"}
BIN = Path(sys.executable).parent


def documented_commands() -> list[tuple[str, str]]:
    """(page, command) for every command line of the pages' shell blocks."""
    found = []
    for page in PAGES:
        text = page.read_text()
        for block in re.findall(r"```(?:bash|sh|shell)\n(.*?)```", text, re.S):
            joined = re.sub(r"\\\n\s*", " ", block)
            for line in joined.splitlines():
                words = shlex.split(line, comments=True)
                if words:
                    found.append((str(page.relative_to(REPO)), line.strip()))
    return found


def program(words: list[str]) -> str:
    return Path(words[0]).name


COMMANDS = documented_commands()


def test_pages_have_commands():
    assert len(COMMANDS) > 20
    assert {program(shlex.split(c, comments=True)) for _, c in COMMANDS} >= {"snakemake", "trackgnn", "python"}


def _placeholder_configs(words: list[str], tmp: Path) -> list[str]:
    """``--configfile`` values that are not repository files become an empty config."""
    out, in_configfiles = [], False
    for word in words:
        if word.startswith("-"):
            in_configfiles = word == "--configfile"
        elif in_configfiles and not (REPO / word).is_file():
            word = str(tmp / "reader_config.yaml")
            Path(word).write_text("{}\n")
        out.append(word)
    return out


def _needs_earlier_run(output: str) -> bool:
    """The only failure allowed: inputs that an earlier run of the page writes under results/
    (e.g. the models of a training run that an inference run uses)."""
    if "MissingInputException" not in output:
        return False
    missing = re.findall(r"^\s+(\S+)$", output.split("affected files:", 1)[-1], re.M)
    return bool(missing) and all(m.startswith("results/") for m in missing)


@pytest.mark.parametrize("page, command", COMMANDS, ids=[f"{p}:{c[:50]}" for p, c in COMMANDS])
def test_documented_command_works(page, command, tmp_path):
    words = shlex.split(command, comments=True)
    name = program(words)
    if name in SKIP_PROGRAMS:
        pytest.skip(f"{name}: covered by its own test")
    if name == "snakemake":
        args = _placeholder_configs(words[1:], tmp_path)
        result = subprocess.run(
            [str(BIN / "snakemake"), *args, "-n", "--quiet", "rules"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        text = result.stdout + result.stderr
        assert result.returncode == 0 or _needs_earlier_run(text), (
            f"{page}: `{command}` fails as a dry run:\n{text[-3000:]}"
        )
    elif name == "trackgnn":
        from trackgnn.cli import build_parser

        try:
            args = build_parser().parse_args(words[1:])
        except SystemExit as exc:
            pytest.fail(f"{page}: `{command}` is refused by the trackgnn parser (exit {exc.code})")
        assert getattr(args, "func", None), f"{page}: `{command}` names no subcommand"
    elif name in ("python", "python3"):
        script = REPO / words[1]
        assert script.is_file(), f"{page}: {words[1]} does not exist"
        help_text = subprocess.run(
            [sys.executable, str(script), "--help"], cwd=REPO, capture_output=True, text=True, timeout=120
        ).stdout
        for option in (w.split("=")[0] for w in words[2:] if w.startswith("--")):
            assert option in help_text, f"{page}: {words[1]} has no option {option}"
    else:
        pytest.fail(f"{page}: no check for `{command}`; add one here")
