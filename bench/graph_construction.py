"""Benchmark: embedding inference + neighbour search on full-size real TrackML events.

Runs on ``<repo>/../shared/data/trackml/test/`` (~100k hits, no truth) with ``--threads``
CPU threads (default 2) and prints one JSON object: per backend the mean/max seconds per
event for inference and search, edges per hit, neighbours dropped by the k cap, and the peak
RSS of the process. Without ``--model`` a randomly initialised default model is used
(same inference cost; the neighbour counts then say little about a trained graph).

    python bench/graph_construction.py [--model DIR] [--backends kdtree kdtree-scipy faiss-ivf] [--events N]
        [--module-map MAP.h5] [--out results/bench/graph_construction.json]

With ``--module-map`` the module-map method (#23) builds graphs of the same events side by
side (the map carried over to the data's ``detectors.csv`` numbering when built on the
simulation): wall and CPU (all threads) seconds per event and edges per hit with doublet cuts
and, when the map has them, triplet cuts, and hits on modules the map never saw.

The JSON also records the command, commit and machine (``--out`` writes it to a file too).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "trackml" / "test"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", help="folder from train-embedding (default: random-init default MLP)")
    p.add_argument("--data", default=str(DATA))
    p.add_argument(
        "--backends",
        nargs="*",
        default=["kdtree", "kdtree-scipy", "faiss-ivf", "faiss"],
        help="kdtree (its default engine: the compiled tree when built), kdtree-scipy (scipy's "
        "cKDTree engine), faiss (exact flat index), faiss-ivf (approximate IVF index), torch",
    )
    p.add_argument("--events", type=int, default=4)
    p.add_argument("--module-map", help="module map (HDF5, build-module-map): time the module-map method too")
    p.add_argument("--out", help="also write the JSON here")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--radius", type=float)
    p.add_argument("--knn", type=int)
    p.add_argument(
        "--count-dropped",
        choices=("exact", "sample", "off"),
        default="exact",
        help="neighbours beyond the kNN cap: recount every capped hit, a sample of 2000 "
        "(scaled up), or only report the capped hits",
    )
    p.add_argument(
        "--no-count-dropped",
        dest="count_dropped",
        action="store_const",
        const="off",
        help="same as --count-dropped off",
    )
    args = p.parse_args(argv)

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    from trackgnn.utils.memory import keep_freed_memory

    keep_freed_memory()  # as the trackgnn command does
    from trackgnn.config import stage_section, validate_config
    from trackgnn.feature_store import FeatureStoreConfig, process_event
    from trackgnn.graph_construction.backends import get_backend
    from trackgnn.graph_construction.config import model_hparams
    from trackgnn.graph_construction.edges import clean_edges
    from trackgnn.graph_construction.export import load_model
    from trackgnn.graph_construction.graph import embed
    from trackgnn.graph_construction.network import EmbeddingNetwork
    from trackgnn.graph_construction.truth import module_key, origin_distance
    from trackgnn.io import list_event_ids, read_event
    from trackgnn.utils.bench_record import emit

    if not Path(args.data).is_dir():
        print(json.dumps({"skipped": f"{args.data} not found"}))
        return 0
    cfg = stage_section(validate_config({}), "metric_learning")
    if args.model:
        model = load_model(args.model)
    else:
        torch.manual_seed(0)
        model = EmbeddingNetwork(model_hparams(cfg, 3, ["r", "phi", "z"])).eval()
    radius = args.radius or model.hparams.radius
    knn = args.knn or model.hparams.knn
    fs_cfg = FeatureStoreConfig.from_dict({"features": model.hparams.feature_names})
    events = []
    for event_id in list_event_ids(args.data)[: args.events]:
        events.append(process_event(read_event(args.data, event_id, parts=("hits",)), fs_cfg))
    result = {
        "benchmark": "graph_construction",
        "data": args.data,
        "threads": args.threads,
        "model": args.model or "random-init",
        "radius": radius,
        "knn": knn,
        "n_events": len(events),
        "hits_per_event": [len(a["hit_id"]) for a in events],
        "backends": {},
    }
    embs, t_embed = [], []
    for a in events:
        t0 = time.perf_counter()
        embs.append(embed(model, a["x"]))
        t_embed.append(time.perf_counter() - t0)
    result["embed_s_per_event"] = sum(t_embed) / len(t_embed)
    result["embed_s_events"] = t_embed
    reference = [None] * len(events)  # edge keys of the first backend, per event
    for name in args.backends:
        backend, opts = name, {}
        if name.startswith("faiss"):
            backend, opts = "faiss", {"device": "cpu", **({"index": "ivf"} if name == "faiss-ivf" else {})}
        elif name.startswith("kdtree-"):
            backend, opts = "kdtree", {"engine": name.split("-", 1)[1]}
        if backend in ("kdtree", "faiss"):
            opts["count_dropped"] = args.count_dropped
        try:
            search = get_backend(backend, threads=args.threads, **opts)
        except ValueError as exc:
            result["backends"][name] = {"error": str(exc)}
            continue
        times, edges, dropped, capped, shared, estimated = [], 0, 0, 0, 0, False
        for i, (a, emb) in enumerate(zip(events, embs)):
            t0 = time.perf_counter()
            found = search.search(emb, radius, knn)
            e = clean_edges(found.src, found.dst, module_key(a), origin_distance(a))
            times.append(time.perf_counter() - t0)
            edges += e.shape[1]
            dropped += found.n_dropped
            capped += found.n_capped
            estimated |= found.dropped_estimated
            keys = e[0] * len(a["hit_id"]) + e[1]
            if reference[i] is None:
                reference[i] = keys
            shared += len(np.intersect1d(keys, reference[i]))
        n_hits = sum(result["hits_per_event"])
        result["backends"][name] = {
            "search_s_per_event": sum(times) / len(times),
            "search_s_max": max(times),
            "search_s_events": times,
            "total_s_per_event": sum(times) / len(times) + result["embed_s_per_event"],
            "edges_per_hit": edges / n_hits,
            "n_dropped_by_cap": dropped,
            "n_hits_capped": capped,
            "count_dropped": getattr(search, "count_dropped", "exact"),
            "engine": getattr(search, "engine", None),
            "dropped_estimated": estimated,
            # no truth in these events: agreement with the first backend's (exact) graph
            "edges_shared_with_first_backend": shared / max(sum(len(r) for r in reference if r is not None), 1),
        }
    if args.module_map:
        result["module_map"] = module_map_side(args.module_map, Path(args.data), events, args.threads)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit(result, __file__, args.out, argv)
    return 0


def module_map_side(map_path: str, data: Path, events: list[dict], threads: int) -> dict:
    """Seconds per event, edges per hit and unseen-module hits of the module-map method on ``events``."""
    from trackgnn.graph_construction.module_map.geometry import geometry_digest
    from trackgnn.graph_construction.module_map.graph import MapGraphBuilder
    from trackgnn.graph_construction.module_map.mapfile import load_map
    from trackgnn.graph_construction.module_map.remap import remap_map
    from trackgnn.graph_construction.module_map.stage import map_event_graph
    from trackgnn.io import read_detectors

    t0 = time.perf_counter()
    mmap = load_map(map_path)
    found = [
        d for d in (data / "detectors.csv.gz", data / "detectors.csv", data.parent / "detectors.csv.gz") if d.exists()
    ]
    if found and mmap.attrs.get("geometry_digest") != geometry_digest(read_detectors(found[0])):
        mmap = remap_map(mmap, read_detectors(found[0]), where=map_path)
    out = {"map": map_path, "map_events": mmap.attrs.get("n_events"), "load_s": time.perf_counter() - t0}
    for option in ("doublets", "triplets") if mmap.has_triplets else ("doublets",):
        builder = MapGraphBuilder(mmap, threads=threads, triplets=option == "triplets")
        times, cpu, edges, unseen = [], [], 0, 0
        for a in events:
            t1, c1 = time.perf_counter(), time.process_time()
            graph, stats = map_event_graph(builder, a)
            times.append(time.perf_counter() - t1)
            cpu.append(time.process_time() - c1)  # every thread of the process
            edges, unseen = edges + graph["edge_index"].shape[1], unseen + stats["n_unseen_hits"]
        n_hits = sum(len(a["hit_id"]) for a in events)
        out[option] = {
            "s_per_event": sum(times) / len(times),
            "s_events": times,
            "cpu_s_per_event": sum(cpu) / len(cpu),
            "edges_per_hit": edges / n_hits,
            "n_unseen_hits": unseen,
            "margin": mmap.attrs.get("margin"),
            "triplet_margin": mmap.attrs.get("triplet_margin") if option == "triplets" else None,
        }
    return out


if __name__ == "__main__":
    sys.exit(main())
