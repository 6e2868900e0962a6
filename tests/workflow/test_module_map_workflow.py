"""The module-map method in the workflow: the map is built from its own simulated events (a
file dependency of build_graphs), the filter, GNN and track building run unchanged on its
graphs, and its settings rerun exactly what reads them."""

from __future__ import annotations

import json

import pytest

from .workflow_utils import run, scheduled, write_config

pytestmark = pytest.mark.slow

MODULE_MAP = {"graph_construction.method": "module_map", "module_map.events": 6}


@pytest.fixture(scope="module")
def map_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("module_map_run")
    write_config(workdir, **MODULE_MAP)
    result = run(workdir)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return workdir


def test_map_feeds_the_chain(map_run):
    run_dir = map_run / "results/tiny"
    assert (run_dir / "models/module_map/map.h5").is_file()
    assert not (run_dir / "models/embedding").exists()  # no embedding is trained
    graphs = json.loads((run_dir / "graphs/test-000.json").read_text())
    assert graphs["stage"] == "build_graphs_module_map"
    assert graphs["module_map"]["n_events"] == 6
    assert 0 < graphs["total"]["efficiency"] <= 1 and graphs["total"]["edges_per_hit"] > 0
    result = json.loads((run_dir / "evaluation/gnn.json").read_text())
    assert 0 <= result["target"]["efficiency"] <= 1


@pytest.mark.parametrize(
    "key, value, expected",
    [
        # stored in the map: the map and everything after it
        (
            "module_map.margin",
            0.2,
            {
                "build_module_map",
                "build_graphs",
                "train_filter",
                "filter_graphs",
                "train_gnn",
                "score_edges",
                "build_tracks",
                "fit_tracks",
                "evaluate",
                "report",
                "agreement",
                "compare",
            },
        ),
        # triplet ranges are stored in the map too (and graph building applies them)
        (
            "module_map.triplets",
            True,
            {
                "build_module_map",
                "build_graphs",
                "train_filter",
                "filter_graphs",
                "train_gnn",
                "score_edges",
                "build_tracks",
                "fit_tracks",
                "evaluate",
                "report",
                "agreement",
                "compare",
            },
        ),
        # how graphs are built from the map: graph building and what follows, not the map
        (
            "module_map.chunk",
            1000,
            {
                "build_graphs",
                "train_filter",
                "filter_graphs",
                "train_gnn",
                "score_edges",
                "build_tracks",
                "fit_tracks",
                "evaluate",
                "report",
                "agreement",
                "compare",
            },
        ),
        # the map's events (in parts of 50: the tiny map has one)
        (
            "module_map.seed",
            7,
            {
                "simulate_module_map_events",
                "build_module_map",
                "build_graphs",
                "train_filter",
                "filter_graphs",
                "train_gnn",
                "score_edges",
                "build_tracks",
                "fit_tracks",
                "evaluate",
                "report",
                "agreement",
                "compare",
            },
        ),
    ],
)
def test_map_settings_rerun_what_reads_them(map_run, key, value, expected):
    assert scheduled(map_run) == {}
    write_config(map_run, **MODULE_MAP, **{key: value})
    try:
        jobs = scheduled(map_run)
    finally:
        write_config(map_run, **MODULE_MAP)
    assert set(jobs) - {"all"} == expected
