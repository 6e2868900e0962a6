"""``build-module-map`` / ``build-graphs-module-map`` with ``module_map.triplets``: the map file
carries the triplet ranges and the graphs are the doublets that pass them."""

import json

import yaml

from tests.graph_construction.module_map import synthetic
from trackgnn.cli import main
from trackgnn.data import read_store, write_store
from trackgnn.graph_construction.module_map.mapfile import load_map
from trackgnn.io import write_detectors


def _run(tmp, triplets: bool) -> dict:
    cfg = tmp / f"config-{triplets}.yaml"
    section = {"margin": 0.3, "pt_min": 0.9, "triplets": triplets, "triplet_margin": 0.05}
    cfg.write_text(yaml.safe_dump({"module_map": section, "graph_construction": {"method": "module_map"}}))
    det, out = str(tmp / "detectors.csv"), tmp / f"map-{triplets}.h5"
    common = ["--config", str(cfg), "--detectors", det]
    assert (
        main(["build-module-map", *common, "--events", str(tmp / "train.h5"), "--n-events", "4", "--out", str(out)])
        == 0
    )
    graphs, metrics = tmp / f"graphs-{triplets}.h5", tmp / f"metrics-{triplets}.json"
    args = ["--map", str(out), "--input", str(tmp / "test.h5"), "--out", str(graphs), "--metrics", str(metrics)]
    assert main(["build-graphs-module-map", *common, *args]) == 0
    return {"map": load_map(out), "graphs": read_store(graphs)[1], "metrics": json.loads(metrics.read_text())}


def test_triplet_option_stores_ranges_and_thins_the_graph(tmp_path):
    write_store(
        tmp_path / "train.h5",
        {s: synthetic.event(s, n_noise=60) for s in range(4)},
        {"feature_names": ["r", "phi", "z"]},
    )
    write_store(tmp_path / "test.h5", {9: synthetic.event(9, n_noise=60)}, {"feature_names": ["r", "phi", "z"]})
    write_detectors(tmp_path / "detectors.csv", synthetic.detectors())
    plain, tri = _run(tmp_path, False), _run(tmp_path, True)
    assert not plain["map"].has_triplets and tri["map"].has_triplets
    assert tri["map"].attrs["triplet_margin"] == 0.05 and len(tri["map"].triples) > 0
    assert tri["metrics"]["module_map"]["triplets"] is True
    e_plain, e_tri = plain["graphs"][9]["edge_index"], tri["graphs"][9]["edge_index"]
    pairs_plain = set(zip(*e_plain.tolist()))
    assert set(zip(*e_tri.tolist())) < pairs_plain  # triplet cuts only remove doublets
    assert tri["graphs"][9]["y"].mean() > plain["graphs"][9]["y"].mean()  # and the graph is purer
