"""``build-graphs``: feature-store shard + embedding model -> graph shard + metrics JSON."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from trackgnn.config import stage_section
from trackgnn.data import read_store, write_store
from trackgnn.graph_construction.graph import embed, event_graph, graph_metrics
from trackgnn.metrics.edges import pool_binned
from trackgnn.utils.finite import check_finite
from trackgnn.utils.jsonio import write_json

log = logging.getLogger(__name__)


def summarize(per_event: dict[int, dict]) -> dict:
    """Totals over events: efficiency and purity pooled over all edges (sum of kept / sum of
    true; per bin of pT, eta and inner-hit radius in ``binned``), mean edges per hit, and the
    distribution of graph sizes (edges per event)."""
    rows = list(per_event.values())
    n_hits = sum(r["n_hits"] for r in rows)
    n_edges = np.array([r["n_edges"] for r in rows], dtype=np.float64)
    out = {
        "n_events": len(rows),
        "n_hits": n_hits,
        "n_edges": int(n_edges.sum()),
        "edges_per_hit": float(n_edges.sum() / n_hits) if n_hits else float("nan"),
    }
    if rows:
        q = np.percentile(n_edges, [0, 25, 50, 75, 100])
        out["graph_size"] = {
            "min": q[0],
            "q25": q[1],
            "median": q[2],
            "q75": q[3],
            "max": q[4],
            "mean": float(n_edges.mean()),
        }
    if rows and "n_target_true" in rows[0]:
        tot = {k: sum(r[k] for r in rows) for k in ("n_target_true", "n_target_kept", "n_true_kept", "n_pid_kept")}
        e = out["n_edges"]
        out.update(tot)
        out["efficiency"] = tot["n_target_kept"] / tot["n_target_true"] if tot["n_target_true"] else float("nan")
        out["purity"] = tot["n_true_kept"] / e if e else float("nan")
        out["purity_pid"] = tot["n_pid_kept"] / e if e else float("nan")
        out["binned"] = pool_binned([r["binned"] for r in rows if "binned" in r])
    for key in ("n_dropped", "n_capped"):
        out[key] = sum(r.get(key, 0) for r in rows)
    out["dropped_estimated"] = any(r.get("dropped_estimated", False) for r in rows)
    return out


def build_graphs(
    config: Mapping,
    model_dir: str | Path,
    input_path: str | Path,
    out_path: str | Path,
    metrics_path: str | Path | None = None,
) -> dict:
    """Build the radius graph of every event of a feature-store shard.

    Radius, neighbour cap and backend come from ``metric_learning.radius``, ``metric_learning.knn``,
    ``metric_learning.backend`` (+ ``backend_options``, ``threads``). Neighbours dropped by the cap
    are counted and logged. The output shard holds every input array plus ``edge_index`` and,
    with truth, ``y``, ``y_pid``, ``target_edge``.

    Returns:
        the metrics (also written to ``metrics_path``): ``total`` and ``events``.
    """
    import torch

    from trackgnn.graph_construction.backends import get_backend
    from trackgnn.graph_construction.export import load_model

    cfg = stage_section(config, "metric_learning")
    if cfg["threads"]:
        torch.set_num_threads(int(cfg["threads"]))
    model = load_model(model_dir)
    attrs, events = read_store(input_path)
    names = attrs.get("feature_names")
    if names != model.hparams.feature_names:
        raise ValueError(f"{input_path}: feature_names {names} differ from the model's {model.hparams.feature_names}")
    search = get_backend(cfg["backend"], threads=cfg["threads"], **cfg["backend_options"])
    out_events, per_event = {}, {}
    for event_id, arrays in events.items():
        arrays.pop("_attrs", None)
        start = time.perf_counter()
        emb = embed(model, arrays["x"])
        check_finite(
            emb,
            "embeddings",
            f"{input_path} event {event_id}",
            f"the embedding model in {model_dir} or the node features are corrupt",
        )
        graph, stats = event_graph(arrays, emb, search, cfg["radius"], cfg["knn"])
        stats["build_s"] = time.perf_counter() - start
        if stats["n_dropped"]:
            how = " (estimated from a sample of the capped hits)" if stats["dropped_estimated"] else ""
            log.warning(
                "event %d: the knn cap %s dropped %d in-radius neighbours of %d hits%s",
                event_id,
                cfg["knn"],
                stats["n_dropped"],
                stats["n_capped"],
                how,
            )
        elif stats["n_capped"] and getattr(search, "count_dropped", "exact") == "off":
            log.warning(
                "event %d: %d hits reached the knn cap %s (neighbours beyond it not counted: "
                "backend_options.count_dropped is off)",
                event_id,
                stats["n_capped"],
                cfg["knn"],
            )
        if graph["edge_index"].shape[1] == 0:
            log.warning("event %d: graph has no edges", event_id)
        out_events[event_id] = {**arrays, **graph}
        per_event[event_id] = {**graph_metrics(arrays, graph), **stats}
    graph_attrs = {**attrs, "embedding": {k: cfg[k] for k in ("radius", "knn", "backend")}}
    write_store(out_path, out_events, graph_attrs)
    build_s = [e["build_s"] for e in per_event.values()]
    metrics = {
        "total": summarize(per_event),
        "events": {str(k): v for k, v in per_event.items()},
        "radius": cfg["radius"],
        "knn": cfg["knn"],
        "backend": cfg["backend"],
        # timing record (embedding inference + neighbour search + labels, per event)
        "stage": "build_graphs",
        "n_events": len(build_s),
        "seconds_per_event": float(np.mean(build_s)) if build_s else 0.0,
    }
    log.info("graphs: %s", {k: v for k, v in metrics["total"].items() if k not in ("graph_size", "binned")})
    if metrics_path:
        write_json(metrics_path, metrics)
    return metrics
