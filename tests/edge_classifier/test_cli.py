"""The filter and GNN subcommands take the same options from one builder
(:mod:`trackgnn.edge_classifier.cli`), under the names the workflow calls."""

import pytest

from trackgnn.cli import build_parser


def options(command: str) -> dict:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {
        action.dest: (tuple(action.option_strings), action.nargs, action.required, action.default, action.metavar)
        for action in subparsers.choices[command]._actions
        if action.dest != "help"
    }


@pytest.mark.parametrize(
    "filter_command, gnn_command", [("train-filter", "train-gnn"), ("filter-graphs", "score-edges")]
)
def test_filter_and_gnn_commands_take_the_same_options(filter_command, gnn_command):
    assert options(filter_command) == options(gnn_command)


def test_the_workflow_options_are_there():
    assert set(options("train-filter")) == {"config", "train", "val", "out"}
    assert set(options("filter-graphs")) == {"config", "model", "input", "out", "metrics", "device"}
    assert options("score-edges")["device"][3] == "cpu"
    assert options("train-gnn")["train"][1:3] == ("+", True)


def test_parsing_a_workflow_call():
    args = build_parser().parse_args(
        ["score-edges", "--config", "c.yaml", "--model", "m", "--input", "a.h5", "--out", "b.h5"]
    )
    assert (args.config, args.model, args.input, args.out, args.metrics, args.device) == (
        "c.yaml",
        "m",
        "a.h5",
        "b.h5",
        None,
        "cpu",
    )
