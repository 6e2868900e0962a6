"""Changing one stage's config reruns that stage and everything downstream, nothing upstream.

One real run of the tiny config, then dry runs after editing a copy of its config.
"""

from __future__ import annotations

import pytest

from .workflow_utils import REPO, resolved_config, scheduled, write_config

pytestmark = pytest.mark.slow

# The rules downstream of each config section, in DAG order ("all" aside).
# (compare: the table of every method, full detector and pixel only, reads the evaluations)
TAIL = ["evaluate", "report", "compare"]
# new tracks also change the GNN-vs-CKF agreement (a truth-free proxy)
TRACKS_TAIL = [*TAIL, "agreement"]
# the Kalman fit (method gnn_kf) follows the GNN's track candidates
GNN_CHAIN = ["train_gnn", "score_edges", "build_tracks", "fit_tracks"]
FILTER_CHAIN = ["train_filter", "filter_graphs", *GNN_CHAIN]
GRAPH_CHAIN = ["train_embedding", "build_graphs", "radius_scan", *FILTER_CHAIN]
DOWNSTREAM_OF = {
    "simulation": ["simulate", "reference_tracks", "acts_ckf", "feature_store", *GRAPH_CHAIN, *TRACKS_TAIL],
    "feature_store": ["feature_store", *GRAPH_CHAIN, *TRACKS_TAIL],
    "metric_learning": [*GRAPH_CHAIN, *TRACKS_TAIL],
    "filtering": [*FILTER_CHAIN, *TRACKS_TAIL],
    "gnn": [*GNN_CHAIN, *TRACKS_TAIL],
    "track_building": ["build_tracks", "fit_tracks", *TRACKS_TAIL],
    "fitting": ["fit_tracks", *TAIL],
    "acts_ckf": ["acts_ckf", *TRACKS_TAIL],
    "evaluation": TAIL,
    # keys read only where a model is applied: the training is kept
    "metric_learning.apply": ["build_graphs", "radius_scan", *FILTER_CHAIN, *TRACKS_TAIL],
    "filtering.apply": ["filter_graphs", *GNN_CHAIN, *TRACKS_TAIL],
    "gnn.apply": ["score_edges", "build_tracks", "fit_tracks", *TRACKS_TAIL],
}
EDITS = [
    ("simulation.mu", 5, "simulation"),
    ("feature_store.truth_graph", "layerwise", "feature_store"),
    ("metric_learning.margin", 0.2, "metric_learning"),
    ("metric_learning.radius", 0.5, "metric_learning.apply"),
    ("filtering.models.mlp.hidden", 32, "filtering"),
    ("filtering.cut", 0.05, "filtering.apply"),
    ("gnn.models.interaction_network.hidden", 24, "gnn"),
    ("gnn.cut", 0.7, "gnn.apply"),
    ("track_building.cut", 0.6, "track_building"),
    ("acts_ckf.ckf_chi2_cut", 12.0, "acts_ckf"),
    ("fitting.chi2_ndf_max", 8.0, "fitting"),
    ("evaluation.target.pt_min", 0.9, "evaluation"),
]


@pytest.fixture
def finished_run(tiny_run):
    return tiny_run


def stage_jobs(jobs: dict[str, int]) -> set[str]:
    """The stage rules of a dry run's jobs."""
    return set(jobs) - {"all"}


def test_up_to_date_after_a_run(finished_run):
    assert scheduled(finished_run) == {}


@pytest.mark.parametrize("key, value, stage", EDITS)
def test_config_change_reruns_stage_and_downstream(finished_run, key, value, stage):
    write_config(finished_run, **{key: value})
    try:
        jobs = scheduled(finished_run)
    finally:
        write_config(finished_run)
    assert stage_jobs(jobs) == set(DOWNSTREAM_OF[stage])


OVERLAYS = [
    (
        "gnn_small.yaml",
        "gnn",
        ("gnn", "models", "interaction_network", "hidden"),
        32,
        ("gnn", "training", "max_epochs"),
    ),
    (
        "filter_small.yaml",
        "filtering",
        ("filtering", "models", "mlp", "hidden"),
        32,
        ("filtering", "models", "mlp", "n_layers"),
    ),
    # a kNN cap only applies the trained embedding: the graphs and what follows rerun
    ("knn30.yaml", "metric_learning.apply", ("metric_learning", "knn"), 30, ("metric_learning", "radius")),
]


@pytest.mark.parametrize("overlay, stage, changed, value, kept", OVERLAYS)
def test_overlay_config_reruns_only_its_stage(finished_run, overlay, stage, changed, value, kept):
    """An overlay given after the run's config (``--configfile run.yaml config/gnn_small.yaml``)
    is merged key by key: the run's other settings of that section stay, and only the
    section's chain reruns."""
    import json
    from functools import reduce

    def lookup(config, keys):
        return reduce(lambda node, key: node[key], keys, config)

    resolved_path = finished_run / "results/tiny/config.resolved.json"
    before_text = resolved_path.read_text()
    before = json.loads(before_text)
    overlays = (REPO / "config" / overlay,)
    jobs = scheduled(finished_run, overlays=overlays)
    assert stage_jobs(jobs) == set(DOWNSTREAM_OF[stage])
    assert resolved_path.read_text() == before_text  # a dry run writes nothing
    resolved = resolved_config(finished_run, overlays=overlays)
    assert lookup(resolved, changed) == value
    assert lookup(resolved, kept) == lookup(before, kept)  # the run's own, kept under the overlay
    assert scheduled(finished_run) == {}  # without the overlay the run is up to date again


@pytest.mark.parametrize(
    "old, key, value, stage",
    [("embedding", "margin", 0.2, "metric_learning"), ("filter", "cut", 0.05, "filtering.apply")],
)
def test_an_overlay_with_an_old_section_name_reruns_as_the_new_name(finished_run, tmp_path, old, key, value, stage):
    """An overlay written before the sections were renamed (``filter: {cut: ...}``) changes
    the renamed section of the run: the same jobs as the overlay with the new name."""
    section = stage.split(".")[0]
    old_overlay, new_overlay = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_overlay.write_text(f"{old}:\n  {key}: {value}\n")
    new_overlay.write_text(f"{section}:\n  {key}: {value}\n")
    jobs = scheduled(finished_run, overlays=(old_overlay,))
    assert stage_jobs(jobs) == set(DOWNSTREAM_OF[stage])
    assert jobs == scheduled(finished_run, overlays=(new_overlay,))
    assert resolved_config(finished_run, overlays=(old_overlay,))[section][key] == value


@pytest.mark.parametrize("key", ["filtering.cut", "gnn.cut", "metric_learning.radius", "track_building.cut"])
def test_an_overlay_repeating_the_runs_value_reruns_nothing(finished_run, tmp_path, key):
    """A key given with the value the run already used (its default, say) changes nothing:
    the resolved sections keep the schema's key order, so the rules' params print the same."""
    section, name = key.split(".")
    value = resolved_config(finished_run)[section][name]
    overlay = tmp_path / "same.yaml"
    overlay.write_text(f"{section}:\n  {name}: {value!r}\n")
    assert scheduled(finished_run, overlays=(overlay,)) == {}


# One module per stage: editing it reruns the rules whose command imports it (the digest
# of each rule is its command's import closure) and what follows them, nothing else.
MODULE_EDITS = [
    ("simulation/effects.py", DOWNSTREAM_OF["simulation"]),
    ("feature_store/cells.py", DOWNSTREAM_OF["feature_store"]),
    ("graph_construction/loss.py", DOWNSTREAM_OF["metric_learning"]),
    ("graph_construction/backends/kdknn.cpp", DOWNSTREAM_OF["metric_learning"]),  # the training validates with it
    ("filtering/models/mlp.py", DOWNSTREAM_OF["filtering"]),
    # the embedding imports trackgnn.nn (fast activations), whose __init__ imports scatter
    ("nn/scatter.py", DOWNSTREAM_OF["metric_learning"]),
    ("gnn/models/aggregation.py", DOWNSTREAM_OF["gnn"]),
    ("track_building/methods/walkthrough.py", DOWNSTREAM_OF["track_building"]),
    # the fit reuses the CKF's ACTS chain
    ("baselines/acts_chain.py", [*DOWNSTREAM_OF["acts_ckf"], "fit_tracks"]),
    ("evaluation.py", TAIL),
    ("report/plots.py", ["report"]),
    ("metrics/agreement.py", ["agreement"]),
]


@pytest.mark.parametrize("module, expected", MODULE_EDITS)
def test_code_change_reruns_exactly_the_rules_that_run_it(finished_run, module, expected):
    from trackgnn.utils import codehash

    source = codehash.PACKAGE / module
    original = source.read_bytes()
    comment = b"\n// edited\n" if source.suffix == ".cpp" else b"\n# edited\n"
    try:
        source.write_bytes(original + comment)
        jobs = scheduled(finished_run)
    finally:
        source.write_bytes(original)
    assert stage_jobs(jobs) == set(expected)


def test_outputs_of_the_run(finished_run):
    import json

    result = json.loads((finished_run / "results/tiny/evaluation/reference.json").read_text())
    assert result["target"]["efficiency"] == 1.0
    for method in ("gnn", "ckf", "gnn_kf"):
        result = json.loads((finished_run / f"results/tiny/evaluation/{method}.json").read_text())
        assert 0 <= result["target"]["efficiency"] <= 1 and result["seconds_per_event"]["total"] > 0
    assert (finished_run / "results/tiny/report/summary.md").read_text().startswith("| method")
    agreement = json.loads((finished_run / "results/tiny/agreement/gnn_ckf.json").read_text())
    # the tiny run's 2-epoch GNN may cover none of them: the figure is checked in tests/metrics
    assert 0 <= agreement["reference_matched"] <= 1 and agreement["n_reference_tracks"] > 0
    comparison = json.loads((finished_run / "results/tiny/report/comparison.json").read_text())
    for block in ("full", "pixel"):
        assert [r["method"] for r in comparison[block]] == ["gnn", "gnn_kf", "ckf", "reference"]
        # the truth reference scores 1 on the whole detector and on the pixel hits alone
        assert comparison[block][-1]["trackml_score"] == pytest.approx(1.0)
        assert comparison[block][0]["seconds_per_event"] > 0  # (max_rss may be NA for a job under 1 s)
    plots = {p.name for p in (finished_run / "results/tiny/report/plots").glob("*.png")}
    assert {f"graph_efficiency_vs_{b}.png" for b in ("pt", "eta", "r_inner")} <= plots


def test_model_comparison_is_one_more_job(finished_run):
    """evaluation.compare_gnn adds the comparison of every registered GNN on the run's
    filtered graphs, and nothing else reruns."""
    write_config(finished_run, **{"evaluation.compare_gnn": True})
    try:
        jobs = scheduled(finished_run)
    finally:
        write_config(finished_run)
    assert stage_jobs(jobs) == {"compare_gnn"}
