"""Inference timing and peak memory of the filter + GNN chain, measured in a fresh process.

``python -m trackgnn.edge_classifier.probe --gnn DIR [--filter DIR] --input A.h5 ...`` prints one JSON
object; :func:`probe_in_subprocess` runs it so the peak RSS belongs to inference alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def measure(
    paths: Sequence[str | Path],
    gnn_dir: str | Path | None,
    filter_dir: str | Path | None = None,
    device: str = "cpu",
    threads: int = 0,
    warmup: int = 1,
) -> dict:
    """Per-event seconds of filter scoring + edge removal + GNN scoring (I/O excluded).

    The first ``warmup`` events are run once more before timing (allocator and kernel warm-up).
    """
    import torch

    from trackgnn.data import read_store
    from trackgnn.data.tensors import EVENT_GRAPH_ARRAYS, EventGraph
    from trackgnn.edge_classifier.apply import score_edges
    from trackgnn.filtering.run import load_filter
    from trackgnn.gnn.run import load_gnn
    from trackgnn.utils.device import check_device
    from trackgnn.utils.memory import keep_freed_memory

    keep_freed_memory()  # as the trackgnn command does
    check_device(device)
    if threads:
        torch.set_num_threads(threads)
    filt = load_filter(filter_dir) if filter_dir else None
    gnn = load_gnn(gnn_dir) if gnn_dir else None
    for model in (filt, gnn):
        if model is not None:
            model[0].to(device)
    events = [arrays for path in paths for arrays in read_store(path, EVENT_GRAPH_ARRAYS)[1].values()]

    def run(arrays) -> dict:
        sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
        data = EventGraph.from_arrays(arrays)
        start = time.perf_counter()
        n_in = data.edge_index.shape[1]
        if filt is not None:
            scores = score_edges(filt[0], filt[1], data, 500000, device)
            data.edge_index = data.edge_index[:, torch.from_numpy(scores > filt[1]["cut"])]
        t_filter = time.perf_counter() - start
        if gnn is not None:
            score_edges(gnn[0], gnn[1], data, None, device)
        sync()
        total = time.perf_counter() - start
        return {
            "seconds": total,
            "filter_seconds": t_filter,
            "gnn_seconds": total - t_filter,
            "hits": int(data.x.shape[0]),
            "edges_in": int(n_in),
            "edges_gnn": int(data.edge_index.shape[1]),
        }

    for arrays in events[:warmup]:
        run(arrays)
    rows = [run(arrays) for arrays in events]
    mean = lambda key: float(np.mean([r[key] for r in rows])) if rows else float("nan")  # noqa: E731
    out = {key: mean(key) for key in ("seconds", "filter_seconds", "gnn_seconds", "hits", "edges_in", "edges_gnn")}
    out = {("seconds_per_event" if k == "seconds" else k): v for k, v in out.items()}
    out.update(
        n_events=len(rows),
        seconds_per_event_max=max((r["seconds"] for r in rows), default=float("nan")),
        device=device,
        threads=torch.get_num_threads(),
        peak_rss_mb=_peak_rss_mb(),
    )
    if device.startswith("cuda"):
        out["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return out


def probe_in_subprocess(paths, gnn_dir=None, filter_dir=None, device="cpu", threads=0) -> dict:
    """:func:`measure` in a child Python process (so ``peak_rss_mb`` is inference's own)."""
    cmd = [
        sys.executable,
        "-m",
        "trackgnn.edge_classifier.probe",
        "--device",
        device,
        "--threads",
        str(threads),
        "--input",
        *map(str, paths),
    ]
    if gnn_dir:
        cmd += ["--gnn", str(gnn_dir)]
    if filter_dir:
        cmd += ["--filter", str(filter_dir)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"inference probe failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", nargs="+", required=True)
    parser.add_argument("--gnn")
    parser.add_argument("--filter")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.input, args.gnn, args.filter, args.device, args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
