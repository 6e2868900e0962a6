"""Tests of the truth-free run figures and the sim-to-real comparison (#25) on hand-built stage
outputs whose figures follow from how they are built."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from trackgnn.cli import main
from trackgnn.data.store import write_store
from trackgnn.diagnostics.run_figures import graph_figures, score_figures, track_figures
from trackgnn.diagnostics.sim_to_real import compare, targets
from trackgnn.io.trackml import write_event


def _run(tmp_path, name: str, volumes: list[int], edges: list[tuple[int, int]], gnn: list[float]):
    """One event (id 7): hits on ``volumes`` with ``edges``; every edge scored ``gnn``."""
    run = tmp_path / name
    run.mkdir()
    n = len(volumes)
    edge_index = np.array(edges, dtype=np.int64).T
    base = {"hit_id": np.arange(1, n + 1), "volume_id": np.array(volumes, dtype=np.int32), "edge_index": edge_index}
    write_store(run / "graphs.h5", {7: base})
    record = {"radius": 0.45, "knn": 50, "total": {"n_dropped": 3 * n, "n_capped": n // 2}}
    (run / "graphs.json").write_text(json.dumps(record))
    scores = {
        "filter_score": np.linspace(0.1, 0.9, len(edges)).astype(np.float32),
        "gnn_score": np.array(gnn, np.float32),
    }
    write_store(run / "scored.h5", {7: {**base, **scores}}, attrs={"gnn_score_cut": 0.8})
    pd.DataFrame({"event_id": 7, "hit_id": np.arange(1, n + 1), "track_id": [0] * (n - 1) + [1]}).to_csv(
        run / "tracks.csv", index=False
    )
    events = run / "events"
    hits = pd.DataFrame(
        {
            "hit_id": np.arange(1, n + 1),
            "x": 30.0 * np.arange(1, n + 1),
            "y": 0.0,
            "z": 0.0,
            "volume_id": volumes,
            "layer_id": 2,
            "module_id": 1,
        }
    )
    write_event(events, 7, hits=hits)
    return run


def test_graph_scores_and_tracks(tmp_path):
    run = _run(tmp_path, "a", [8, 8, 8, 13], [(0, 1), (1, 2), (2, 3)], [0.05, 0.85, 0.95])
    graph = graph_figures([run / "graphs.h5"])
    assert graph["edges_per_hit"] == 0.75 and graph["n_events"] == 1 and graph["radius"] == 0.45
    # volume 8: 5 edge ends on 3 hits; volume 13: 1 end on 1 hit (an edge counts half at each end)
    assert graph["edges_per_hit_per_volume"] == {"8": round(5 / 6, 3), "13": 0.5}
    assert graph["capped_hit_fraction"] == 0.5 and graph["dropped_neighbours_per_hit"] == 3.0
    scores = score_figures([run / "scored.h5"], bins=2)
    assert scores["gnn_score"]["fraction"] == [round(1 / 3, 5), round(2 / 3, 5)]
    assert scores["gnn_cut"] == 0.8 and scores["edges_per_hit_kept"] == 0.5
    assert scores["filter_score"]["n"] == 3
    # one track of 3 hits and a one-hit "track" (an unassigned hit), which is not counted
    tracks = track_figures([run / "tracks.csv"], min_hits=3)
    assert tracks["tracks_per_event"] == 1.0 and tracks["long_tracks_per_event"] == 1.0
    assert tracks["mean_hits_per_track"] == 3.0
    assert track_figures([run / "tracks.csv"], min_hits=4)["long_tracks_per_event"] == 0.0


def _figures(edges_per_hit, reference_matched, tracks_matched):
    agreement = (
        None
        if reference_matched is None
        else {"reference_matched": reference_matched, "tracks_matched": tracks_matched}
    )
    return {"graph": {"edges_per_hit": edges_per_hit}, "agreement": agreement, "events": []}


@pytest.mark.parametrize(
    "real, passed",
    [
        (_figures(22.0, 0.655, 0.95), [True, True, True]),  # +10%, -0.5 and -1 points
        (_figures(22.3, 0.62, 0.985), [False, False, True]),  # +11.5%, -4 points, +2 points
        (_figures(17.9, None, None), [False, None, None]),  # -10.5%, no CKF on the real side
    ],
)
def test_targets_are_computed(real, passed):
    simulated = _figures(20.0, 0.66, 0.965)
    rows = targets(real, simulated)
    assert [r["target"] for r in rows] == ["edges_per_hit", "ckf_tracks_matched_by_gnn", "gnn_tracks_matched_by_ckf"]
    assert [r["passed"] for r in rows] == passed
    assert rows[0]["difference"] == pytest.approx(real["graph"]["edges_per_hit"] / 20.0 - 1, abs=1e-4)
    assert rows[0]["uncertainty"] is None


def test_agreement_uncertainty_from_track_counts():
    real, simulated = _figures(20.0, 0.5, 0.9), _figures(20.0, 0.5, 0.9)
    real["agreement"].update(n_reference_tracks=100, n_tracks=400)
    simulated["agreement"].update(n_reference_tracks=100, n_tracks=None)
    rows = targets(real, simulated)
    # sqrt(0.25 / 100 + 0.25 / 100) = 0.0707 -> 7.071 points; no count on one side: unknown
    assert rows[1]["uncertainty"] == pytest.approx(7.071, abs=1e-3)
    assert rows[2]["uncertainty"] is None


def test_compare_and_cli(tmp_path):
    sim = _run(tmp_path, "sim", [8, 8, 8, 13], [(0, 1), (1, 2), (2, 3)], [0.05, 0.85, 0.95])
    real = _run(tmp_path, "real", [8, 8, 8, 8, 13], [(0, 1), (1, 2), (2, 3), (3, 4), (0, 2), (1, 3)], [0.9] * 6)
    for run in (sim, real):
        code = main(
            [
                "run-figures",
                "--graphs",
                str(run / "graphs.h5"),
                "--scored",
                str(run / "scored.h5"),
                "--tracks",
                str(run / "tracks.csv"),
                "--events",
                str(run / "events"),
                "--out",
                str(run / "figures.json"),
            ]
        )
        assert code == 0
    out = tmp_path / "cmp.json"
    assert (
        main(
            [
                "sim-to-real",
                "--real",
                str(real / "figures.json"),
                "--simulated",
                str(sim / "figures.json"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    result = json.loads(out.read_text())
    assert result["real"]["graph"]["edges_per_hit"] == 1.2 and result["simulated"]["graph"]["edges_per_hit"] == 0.75
    assert result["targets"][0]["passed"] is False and result["targets"][1]["passed"] is None
    # hit density real / simulated: volume 8 has 4 real hits against 3 simulated
    assert result["hit_density"]["per_volume"]["8"]["ratio"] == pytest.approx(4 / 3, abs=1e-4)
    direct = compare(json.loads((real / "figures.json").read_text()), json.loads((sim / "figures.json").read_text()))
    assert direct["targets"] == result["targets"]


def test_bad_figures_file_is_one_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"tracks": {}}))
    out = tmp_path / "out.json"
    assert main(["sim-to-real", "--real", str(bad), "--simulated", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--real" in err and "bad.json" in err and "run-figures JSON" in err
    assert not out.exists()
