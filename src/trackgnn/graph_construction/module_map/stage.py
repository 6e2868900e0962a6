"""``build-module-map`` and ``build-graphs-module-map``: the two stages of module-map graph construction."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from trackgnn.graph_construction.module_map.config import module_map_config
from trackgnn.graph_construction.module_map.mapfile import ModuleMap, load_map, save_map

log = logging.getLogger(__name__)


def build_module_map(
    config: Mapping,
    inputs: Iterable[str | Path],
    out: str | Path | None = None,
    n_events: int | None = None,
    detectors: str | Path | None = None,
) -> ModuleMap:
    """Build (and write to ``out``) the module map of the first ``n_events`` training events.

    Settings from ``module_map``: ``pt_min``, ``margin`` and ``triplet_margin`` (stored;
    applied when graphs are built), ``rotation`` and ``mirror`` pooling, ``triplets`` (also
    record the triplet ranges), ``events`` (when ``n_events`` is ``None``).
    """
    from trackgnn.graph_construction.module_map.build_map import MapAccumulator, event_doublets
    from trackgnn.graph_construction.module_map.events import read_geometry_table, training_events
    from trackgnn.graph_construction.module_map.geometry import module_geometry
    from trackgnn.graph_construction.module_map.triplets import TRIPLET_QUANTITIES, TripletAccumulator, event_triplets

    cfg = module_map_config(config)
    inputs = [Path(p) for p in inputs]
    table, table_path = read_geometry_table(inputs, detectors)
    geo = module_geometry(table)
    acc = MapAccumulator(geo, rotation=cfg["rotation"], mirror=cfg["mirror"])
    triples = None
    if cfg["triplets"]:
        triples = TripletAccumulator(geo, cfg["rotation"], cfg["mirror"], granularity=cfg["triplet_granularity"])
    n_events = cfg["events"] if n_events is None else int(n_events)
    start = time.perf_counter()
    for name, arrays in training_events(inputs, n_events):
        acc.add(*event_doublets(arrays, geo, cfg["pt_min"], name))
        acc.n_events += 1
        if triples is not None:
            triples.add(*event_triplets(arrays, geo, cfg["pt_min"]))
    if acc.n_doublets == 0:
        raise ValueError(
            f"module map: no truth edge of a particle with pT >= {cfg['pt_min']} GeV in the "
            f"{acc.n_events} events of {[str(p) for p in inputs]}; nothing to build a map from"
        )
    mmap = acc.result({"pt_min": cfg["pt_min"], "margin": cfg["margin"], "detectors": str(table_path)})
    if triples is not None:
        for key, value in triples.result().items():
            setattr(mmap, key, value)
        mmap.attrs.update(
            {
                "triplet_quantities": list(TRIPLET_QUANTITIES),
                "triplet_margin": cfg["triplet_margin"],
                "triplet_granularity": cfg["triplet_granularity"],
                "n_triplets": triples.n_triplets,
                "n_canonical_triples": int(len(triples.key)),
            }
        )
        log.info("module map: %d triplets -> %d %s triples", triples.n_triplets, len(mmap.triples), triples.granularity)
    log.info(
        "module map: %d events, %d doublets -> %d pooled pairs, %d module pairs over %d of the %d modules in %.1f s",
        acc.n_events,
        acc.n_doublets,
        mmap.attrs["n_canonical"],
        len(mmap.pairs),
        mmap.attrs["n_modules"],
        mmap.attrs["n_geometry_modules"],
        time.perf_counter() - start,
    )
    if out is not None:
        save_map(out, mmap)
    return mmap


def map_event_graph(builder, arrays: dict) -> tuple[dict, dict]:
    """Edges (+ labels with truth) of one event from a :class:`MapGraphBuilder`, like
    :func:`trackgnn.graph_construction.graph.event_graph`."""
    from trackgnn.graph_construction.edges import clean_edges, label_edges
    from trackgnn.graph_construction.truth import module_key, origin_distance

    keys = module_key(arrays)
    src, dst, stats = builder.doublets(arrays, keys)
    edges = clean_edges(src, dst, keys, origin_distance(arrays))
    out = {"edge_index": edges}
    if "truth_edges" in arrays:
        out.update(label_edges(edges, arrays["truth_edges"], arrays["particle_id"], arrays["node_target"]))
    return out, stats


def build_graphs_module_map(
    config: Mapping,
    map_path: str | Path,
    input_path: str | Path,
    out_path: str | Path,
    metrics_path: str | Path | None = None,
    detectors: str | Path | None = None,
    remap_geometry: bool = False,
) -> dict:
    """Graphs of every event of a feature-store shard from a module map.

    The output shard holds every input array plus ``edge_index`` (and ``y``, ``y_pid``,
    ``target_edge`` with truth), as :func:`trackgnn.graph_construction.build.build_graphs`
    writes; metrics as there, plus ``n_unseen_hits`` (hits on modules the map never saw).

    Args:
        detectors: when given, the map's geometry digest must match this table's.
        remap_geometry: when the digests differ, carry the map over to ``detectors``'
            numbering by module centres (:func:`~.remap.remap_map`) instead of failing.
    """
    from trackgnn.data import read_store, write_store
    from trackgnn.graph_construction.build import summarize
    from trackgnn.graph_construction.graph import graph_metrics
    from trackgnn.graph_construction.module_map.graph import MapGraphBuilder
    from trackgnn.utils.jsonio import write_json

    cfg = module_map_config(config)
    mmap = load_map(map_path)
    if detectors is not None:
        from trackgnn.graph_construction.module_map.geometry import geometry_digest
        from trackgnn.graph_construction.module_map.remap import remap_map
        from trackgnn.io import read_detectors

        table = read_detectors(detectors)
        if remap_geometry and mmap.attrs.get("geometry_digest") != geometry_digest(table):
            mmap = remap_map(mmap, table, where=str(map_path))
            log.info("module map %s carried over to the module numbering of %s", map_path, detectors)
        else:
            load_map(map_path, geometry_digest(table))  # raises naming both digests when they differ
    builder = MapGraphBuilder(
        mmap,
        chunk=cfg["chunk"],
        threads=cfg["threads"],
        triplets=cfg["triplets"],  # margins: the map's own (module_map.margin / triplet_margin when it was built)
    )
    attrs, events = read_store(input_path)
    out_events, per_event = {}, {}
    for event_id, arrays in events.items():
        arrays.pop("_attrs", None)
        start = time.perf_counter()
        graph, stats = map_event_graph(builder, arrays)
        stats["build_s"] = time.perf_counter() - start
        if stats["n_unseen_hits"]:
            log.warning(
                "event %d: %d of %d hits lie on modules the module map %s never saw (no edges for them)",
                event_id,
                stats["n_unseen_hits"],
                len(arrays["hit_id"]),
                map_path,
            )
        if graph["edge_index"].shape[1] == 0:
            log.warning("event %d: graph has no edges", event_id)
        out_events[event_id] = {**arrays, **graph}
        per_event[event_id] = {**graph_metrics(arrays, graph), **stats}
    info = {
        k: mmap.attrs.get(k)
        for k in ("geometry_digest", "pt_min", "margin", "n_events", "rotation", "mirror", "remapped_from")
    }
    info.update(
        {"triplets": cfg["triplets"], "triplet_margin": mmap.attrs.get("triplet_margin") if cfg["triplets"] else None}
    )
    write_store(out_path, out_events, {**attrs, "module_map": {"path": str(map_path), **info}})
    build_s = [e["build_s"] for e in per_event.values()]
    total = summarize(per_event)
    total["n_unseen_hits"] = sum(e["n_unseen_hits"] for e in per_event.values())
    metrics = {
        "total": total,
        "events": {str(k): v for k, v in per_event.items()},
        "module_map": info,
        "stage": "build_graphs_module_map",
        "n_events": len(build_s),
        "seconds_per_event": float(np.mean(build_s)) if build_s else 0.0,
    }
    log.info("graphs: %s", {k: v for k, v in total.items() if k not in ("graph_size", "binned")})
    if metrics_path:
        write_json(metrics_path, metrics)
    return metrics
