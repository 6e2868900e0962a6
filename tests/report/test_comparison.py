"""The comparison of a run: full-detector rows from its evaluation, pixel rows recomputed on
the pixel hits, time and memory of each method's chain (worked out in small_run.py)."""

from __future__ import annotations

import json

import pytest

from trackgnn.metrics import TargetCuts
from trackgnn.metrics.volumes import PIXEL_VOLUMES
from trackgnn.report.comparison import METHODS, compare_run, peak_rss_mb
from trackgnn.report.comparison_table import comparison_markdown

from .small_run import MAX_RSS, SHARD, STAGE_SECONDS, small_run

ORDER = ["gnn", "gnn_kf", "ckf", "reference"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return small_run(tmp_path_factory.mktemp("comparison"))


@pytest.fixture(scope="module")
def result(run):
    return compare_run(run, ORDER, TargetCuts(), {"short": TargetCuts(min_hits=3)}, PIXEL_VOLUMES)


def rows(result, block):
    return {row["method"]: row for row in result[block]}


def test_rows_in_the_order_asked_with_their_labels(result):
    for block in ("full", "pixel"):
        assert [r["method"] for r in result[block]] == ORDER
        assert [r["label"] for r in result[block]] == ["trackgnn", "trackgnn + KF", "ACTS CKF", "truth reference"]


def test_full_block_is_the_runs_evaluation(run, result):
    for method, row in rows(result, "full").items():
        evaluated = json.loads((run / "evaluation" / f"{method}.json").read_text())["target"]
        for key in ("efficiency", "fake_rate", "duplicate_rate", "trackml_score", "n_target_particles"):
            assert row[key] == evaluated[key], (method, key)


def test_perfect_tracks_are_perfect_in_both_blocks(result):
    for block in ("full", "pixel"):
        ref = rows(result, block)["reference"]
        assert ref["efficiency"] == 1.0 and ref["fake_rate"] == 0.0 and ref["duplicate_rate"] == 0.0
        assert ref["trackml_score"] == pytest.approx(1.0)


def test_pixel_targets_count_pixel_hits(result):
    # particle 2 has strip hits only: a target of the full detector, not of the pixels
    assert rows(result, "full")["reference"]["n_target_particles"] == 3
    assert rows(result, "pixel")["reference"]["n_target_particles"] == 2
    # with >= 3 hits the same: particle 1 has 5 pixel hits, particle 3 six
    assert rows(result, "pixel")["reference"]["extra"]["short"]["n_target_particles"] == 2


def test_a_track_of_strip_hits_only_is_gone_from_the_pixel_block(result):
    full, pixel = rows(result, "full")["gnn"], rows(result, "pixel")["gnn"]
    # full: particles 1 and 3 found, the strip fake counted
    assert full["efficiency"] == pytest.approx(2 / 3) and full["fake_rate"] == pytest.approx(1 / 3)
    assert full["n_tracks_counted"] == 3
    # pixel: the fake has no hit there; both pixel targets found
    assert pixel["n_tracks_counted"] == 2
    assert pixel["efficiency"] == 1.0 and pixel["fake_rate"] == 0.0


def test_a_particles_pixel_hits_alone_match_in_the_pixel_block(result):
    full, pixel = rows(result, "full")["ckf"], rows(result, "pixel")["ckf"]
    # full: each half of particle 1 holds 5 of its 10 hits (not more than half): two fakes
    assert full["efficiency"] == pytest.approx(2 / 3) and full["fake_rate"] == pytest.approx(2 / 4)
    # pixel: the pixel half is all of its pixel hits, the strip half is gone
    assert pixel["efficiency"] == 1.0 and pixel["fake_rate"] == 0.0 and pixel["n_tracks_counted"] == 2


def test_hits_left_out_count_as_unassigned(result):
    full, pixel = rows(result, "full")["gnn_kf"], rows(result, "pixel")["gnn_kf"]
    assert full["efficiency"] == pytest.approx(2 / 3) and full["fake_rate"] == 0.0
    assert pixel["efficiency"] == 1.0 and pixel["n_tracks_counted"] == 2


def test_time_and_memory_of_each_chain(result):
    full = rows(result, "full")
    assert full["gnn"]["seconds_per_event"] == pytest.approx(STAGE_SECONDS["gnn"] + STAGE_SECONDS["build_tracks"])
    assert full["gnn_kf"]["seconds_per_event"] == pytest.approx(
        full["gnn"]["seconds_per_event"] + STAGE_SECONDS["fit-tracks"]
    )
    assert full["ckf"]["seconds_per_event"] == pytest.approx(STAGE_SECONDS["acts-ckf"])
    for method in ("gnn", "gnn_kf", "ckf"):
        assert full[method]["peak_rss_mb"] == max(MAX_RSS[r] for r in METHODS[method][1])
    assert full["reference"]["seconds_per_event"] is None and full["reference"]["peak_rss_mb"] is None
    for method in ORDER:  # the same chain ran for both blocks
        pixel = rows(result, "pixel")[method]
        assert (pixel["seconds_per_event"], pixel["peak_rss_mb"]) == (
            full[method]["seconds_per_event"],
            full[method]["peak_rss_mb"],
        )


def test_peak_rss_is_unknown_when_a_job_left_no_benchmark(run):
    assert peak_rss_mb(run, ["build_graphs", "no_such_rule"], [SHARD]) is None
    assert peak_rss_mb(run, ["build_graphs"], [SHARD]) == MAX_RSS["build_graphs"]


def test_missing_evaluation_is_named(tmp_path):
    run = small_run(tmp_path, methods=("gnn", "gnn_kf", "reference"))
    with pytest.raises(FileNotFoundError, match=r"evaluation/ckf\.json: not found"):
        compare_run(run, ORDER, TargetCuts(), {}, PIXEL_VOLUMES)


def test_cuts_other_than_the_evaluations_are_refused(run):
    with pytest.raises(ValueError, match=r"evaluation/gnn\.json: evaluated with target cuts"):
        compare_run(run, ["gnn"], TargetCuts(pt_min=0.5), {}, PIXEL_VOLUMES)


def test_markdown_has_both_blocks_and_the_definitions(result):
    text = comparison_markdown(result)
    full, pixel = text.split("**Pixel only** (volumes 7, 8, 9)")
    assert "**Full detector**" in full
    assert "| trackgnn | 0.6667 | 0.3333 |" in full and "| trackgnn | 1.0000 | 0.0000 |" in pixel
    assert "| truth reference | 1.0000 | 0.0000 | 0.0000 | 1.0000 | 2 | - | - |" in pixel
    assert "a particle is a target with >= 5 hits there" in text
    assert "Written by" not in text  # no command recorded in this result
    assert "a particle is" not in comparison_markdown(result, notes=False)


def test_compact_table_puts_both_blocks_on_one_row(result):
    from trackgnn.report.comparison_table import compact_table

    lines = compact_table(result).splitlines()
    assert lines[0].startswith("| method | efficiency |") and "| pixel efficiency | pixel fake rate |" in lines[0]
    assert len(lines) == 2 + len(ORDER)
    # trackgnn: full efficiency 2/3 and fake rate 1/3, pixel efficiency 1 and fake rate 0
    gnn = lines[2].split(" | ")
    assert gnn[:3] == ["| trackgnn", "0.6667", "0.3333"] and gnn[7:9] == ["1.0000", "0.0000"]
