"""Apply an exported edge classifier to every event of a shard (``filter-graphs``,
``score-edges``): score the edges, optionally drop those at or below the cut, write the
shard back with the score array added, and tally the figures of :class:`EdgeTally`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from trackgnn.data import read_store, write_store
from trackgnn.data.tensors import EventGraph
from trackgnn.edge_classifier.metrics import EdgeTally
from trackgnn.edge_features import edge_geometry_from_data
from trackgnn.utils.finite import check_finite
from trackgnn.utils.jsonio import write_json

if TYPE_CHECKING:
    from torch import nn

log = logging.getLogger(__name__)

#: Per-edge arrays of the graph-shard contract (subset together with ``edge_index``).
EDGE_ARRAYS = ("y", "y_pid", "target_edge", "filter_score", "gnn_score", "edge_weight", "edge_attr")
#: Likely cause of NaN/inf scores (the network itself squashes finite logits into [0, 1]).
SCORE_HINT = "the model file or the input features are corrupt"


def score_edges(
    net: nn.Module, hparams: dict, data: EventGraph, chunk_size: int | None = None, device: str = "cpu"
) -> np.ndarray:
    """Sigmoid scores ``[E]`` (float32) of ``data.edge_index``.

    Args:
        net: the exported ``nn.Module`` (eval mode).
        hparams: its exported hyperparameters (``edge_features`` used).
        data: the event's :class:`~trackgnn.data.tensors.EventGraph`.
        chunk_size: score at most this many edges at once (only for edge-local models such
            as the filter MLP; message-passing models need the whole graph: ``None``).
        device: torch device.
    """
    import torch

    data = data.to(device)
    edges = data.edge_index
    n_edges = edges.shape[1]
    step = n_edges if not chunk_size else int(chunk_size)
    out = []
    with torch.inference_mode():
        for start in range(0, max(n_edges, 1), max(step, 1)):
            part = edges[:, start : start + step]
            attr = edge_geometry_from_data(data, part) if hparams["edge_features"] else None
            out.append(torch.sigmoid(net(data.x, part, attr)).float().cpu())
    return torch.cat(out).numpy() if out else np.zeros(0, np.float32)


def subset_edges(arrays: dict, keep: np.ndarray) -> dict:
    """Copy of an event's arrays with only the ``keep`` edges (edge arrays subset together).

    ``edge_index`` is ``[2, E]``; the per-edge arrays of :data:`EDGE_ARRAYS` are subset
    along their first axis. The truth graph (``truth_edges``, ``truth_target``) is kept
    whole so that efficiencies stay relative to it.
    """
    n_edges = arrays["edge_index"].shape[1]
    if keep.shape != (n_edges,):
        raise ValueError(f"keep mask has shape {keep.shape}, expected ({n_edges},)")
    out = {}
    for name, value in arrays.items():
        if name == "edge_index":
            out[name] = value[:, keep]
        elif name in EDGE_ARRAYS:
            if len(value) != n_edges:
                raise ValueError(f"edge array '{name}' has {len(value)} rows but the event has {n_edges} edges")
            out[name] = value[keep]
        else:
            out[name] = value
    return out


def apply_to_shard(
    net,
    hparams: dict,
    input_path: str | Path,
    out_path: str | Path,
    score_name: str,
    cut: float,
    remove: bool,
    metrics_path: str | Path | None = None,
    chunk_size: int | None = None,
    device: str = "cpu",
    stage: str = "",
) -> dict:
    """Score every event of ``input_path`` and write ``out_path``; returns the figures.

    Args:
        score_name: name of the added score array (``filter_score``, ``gnn_score``).
        cut: an edge is kept when its score is above ``cut``.
        remove: drop the edges at or below the cut (filter) or keep all (GNN).
        metrics_path: where to write the figures as JSON (optional).
    """
    attrs, events = read_store(input_path)
    tally = EdgeTally(cut)
    out_events = {}
    event_attrs = {}
    for event_id, arrays in events.items():
        event_attrs[event_id] = arrays.pop("_attrs", {})
        data = EventGraph.from_arrays(arrays, f"{input_path}: event {event_id}")
        start = time.perf_counter()
        scores = score_edges(net, hparams, data, chunk_size, device)
        seconds = time.perf_counter() - start
        check_finite(scores, f"edge scores '{score_name}'", f"{input_path} event {event_id}", SCORE_HINT)
        tally.add(scores, data.num_nodes, arrays if "y" in arrays else None, seconds)
        arrays[score_name] = scores.astype(np.float32)
        out_events[event_id] = subset_edges(arrays, scores > cut) if remove else arrays
    attrs = {**attrs, f"{score_name}_cut": float(cut), f"{score_name}_model": hparams.get("model")}
    write_store(out_path, out_events, attrs, event_attrs)
    summary = {"stage": stage, "input": str(input_path), "model": hparams.get("model"), **tally.summary()}
    if metrics_path is not None:
        write_json(metrics_path, summary, sort_keys=True)
    log.info(
        "%s %s: %s",
        stage,
        input_path,
        {k: summary[k] for k in ("n_events", "rejection", "efficiency", "purity") if k in summary},
    )
    return summary


def evaluate_shards(
    net, hparams: dict, paths, cut: float, chunk_size: int | None = None, device: str = "cpu"
) -> tuple[dict, np.ndarray, np.ndarray]:
    """Figures of ``net`` on shards without writing them: ``(summary, scores, target)``."""
    tally = EdgeTally(cut)
    all_scores, all_target = [], []
    for path in paths:
        _, events = read_store(path)
        for event_id, arrays in events.items():
            data = EventGraph.from_arrays(arrays, f"{path}: event {event_id}")
            start = time.perf_counter()
            scores = score_edges(net, hparams, data, chunk_size, device)
            check_finite(
                scores,
                "edge scores",
                f"{path} event {event_id}",
                "the model diverged in training, or the model file or the input features are corrupt",
            )
            tally.add(scores, data.num_nodes, arrays, time.perf_counter() - start)
            all_scores.append(scores)
            all_target.append(np.asarray(arrays.get("target_edge", np.zeros(len(scores), bool)), dtype=bool))
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0)  # noqa: E731
    return tally.summary(), cat(all_scores), cat(all_target).astype(bool)
