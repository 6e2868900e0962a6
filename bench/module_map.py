"""Coverage curve of the module map: maps from N training events, evaluated on fixed test events.

    python bench/module_map.py --map-events DIR... --test SHARD.h5 [--sizes 50 100 200 500]
        [--margins 0 0.05 0.1] [--triplet-margins 0.1 0.3] [--triplet-granularities ring module]
        [--threads 2] [--config CFG.yaml] [--no-plain] [--out JSON] [--png PNG]

Reads the training events of the folders DIR (simulated with ``trackgnn
simulate-module-map-events``) once, in order, and snapshots the map (pooled over the
symmetries, and plain unless ``--no-plain``) after the first N events for each N of
``--sizes``. Each map builds the graphs of every event of the feature-store shard ``--test``
(events never used for a map) at each doublet margin: doublet cuts only, and, for the pooled
map, with the triplet cuts of each granularity and triplet margin. Prints one JSON object, a
row per (pooling, N, margin, triplet granularity, triplet margin): target-particle edge
efficiency (``node_target`` of the shard: pT > 1 GeV, abs eta < 4, >= 5 hits by default),
pT > 0.5 GeV and all-particle efficiency (kept truth edges / truth edges), purity, edges and
doublets (before triplet cuts) per hit, hits on unseen modules, graph-building wall and CPU
seconds per event (map lookups, cuts, cleaning, labels; ``--threads`` for the compiled
kernels) and the map's pair and triple counts; pixel-only efficiency and edges per hit count
only edges and hits in volumes 7, 8, 9 (to compare with pixel-only pipelines).
"""

from __future__ import annotations

import argparse
import sys
import time

PIXEL = (7, 8, 9)


def evaluate(mmap, margin: float, events: dict, triplet_margin: float | None = None, threads: int = 1) -> dict:
    import numpy as np

    from trackgnn.graph_construction.graph import graph_metrics
    from trackgnn.graph_construction.module_map.graph import MapGraphBuilder
    from trackgnn.graph_construction.module_map.stage import map_event_graph

    triplets = triplet_margin is not None
    builder = MapGraphBuilder(mmap, margin=margin, threads=threads, triplets=triplets, triplet_margin=triplet_margin)
    tot = {
        "n_hits": 0,
        "n_edges": 0,
        "target_true": 0,
        "target_kept": 0,
        "true": 0,
        "true_kept": 0,
        "pt05_true": 0,
        "pt05_kept": 0,
        "doublets": 0,
        "unseen": 0,
        "pix_hits": 0,
        "pix_edges": 0,
        "pix_target_true": 0,
        "pix_target_kept": 0,
    }
    seconds, cpu = [], []
    for arrays in events.values():
        start, start_cpu = time.perf_counter(), time.process_time()
        graph, stats = map_event_graph(builder, arrays)
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        m = graph_metrics(arrays, graph)
        tot["n_hits"] += m["n_hits"]
        tot["n_edges"] += m["n_edges"]
        tot["target_true"] += m["n_target_true"]
        tot["target_kept"] += m["n_target_kept"]
        tot["true"] += arrays["truth_edges"].shape[1]
        tot["true_kept"] += m["n_true_kept"]
        tot["unseen"] += stats["n_unseen_hits"]
        tot["doublets"] += stats["n_doublets"]
        pt05 = np.asarray(arrays["pt"]) >= 0.5
        t_all = np.asarray(arrays["truth_edges"], np.int64).reshape(2, -1)
        tot["pt05_true"] += int(pt05[t_all[0]].sum())
        tot["pt05_kept"] += int((np.asarray(graph["y"], bool) & pt05[graph["edge_index"][0]]).sum())
        pixel = np.isin(arrays["volume_id"], PIXEL)  # pixel-only figures: both ends in volumes 7, 8, 9
        e, t = graph["edge_index"], np.asarray(arrays["truth_edges"], np.int64).reshape(2, -1)
        tot["pix_hits"] += int(pixel.sum())
        tot["pix_edges"] += int((pixel[e[0]] & pixel[e[1]]).sum())
        tot["pix_target_true"] += int((arrays["truth_target"] & pixel[t[0]] & pixel[t[1]]).sum())
        tot["pix_target_kept"] += int((graph["target_edge"] & pixel[e[0]] & pixel[e[1]]).sum())
    return {
        "margin": margin,
        "triplets": triplets,
        "triplet_margin": triplet_margin,
        "efficiency_pt05": tot["pt05_kept"] / max(tot["pt05_true"], 1),
        "doublets_per_hit": tot["doublets"] / tot["n_hits"],
        "efficiency_target": tot["target_kept"] / tot["target_true"],
        "efficiency_all": tot["true_kept"] / tot["true"],
        "purity": tot["true_kept"] / max(tot["n_edges"], 1),
        "edges_per_hit": tot["n_edges"] / tot["n_hits"],
        "n_unseen_hits": tot["unseen"],
        "pixel_efficiency_target": tot["pix_target_kept"] / max(tot["pix_target_true"], 1),
        "pixel_edges_per_hit": tot["pix_edges"] / max(tot["pix_hits"], 1),
        "seconds_per_event": float(np.mean(seconds)),
        "seconds_per_event_min": float(np.min(seconds)),
        "cpu_seconds_per_event": float(np.mean(cpu)),
        "threads": threads,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--map-events", required=True, nargs="+", help="folders of map training events")
    parser.add_argument("--test", required=True, help="feature-store shard of the test events (with truth)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.05, 0.1])
    parser.add_argument(
        "--triplet-margins",
        type=float,
        nargs="*",
        default=[],
        help="also the pooled map with triplet cuts, at these margins",
    )
    parser.add_argument(
        "--triplet-granularities",
        nargs="+",
        default=["ring"],
        choices=["ring", "module"],
        help="keys of the triplet ranges",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads of the compiled kernels")
    parser.add_argument("--config", help="run config YAML (module_map.pt_min; default: schema defaults)")
    parser.add_argument("--detectors", help="detectors.csv (default: next to the map events)")
    parser.add_argument("--no-plain", action="store_true", help="skip the map without symmetry pooling")
    parser.add_argument("--out", help="also write the JSON here")
    parser.add_argument("--png", help="also plot target efficiency against edges per hit (one curve per map)")
    args = parser.parse_args(argv)

    from trackgnn.config import load_config, validate_config
    from trackgnn.data import read_store
    from trackgnn.graph_construction.module_map.build_map import MapAccumulator, event_doublets
    from trackgnn.graph_construction.module_map.config import module_map_config
    from trackgnn.graph_construction.module_map.events import read_geometry_table, training_events
    from trackgnn.graph_construction.module_map.geometry import module_geometry
    from trackgnn.graph_construction.module_map.triplets import TripletAccumulator, event_triplets
    from trackgnn.utils.jsonio import dumps, write_json

    cfg = module_map_config(load_config(args.config) if args.config else validate_config({}))
    table, _ = read_geometry_table(args.map_events, args.detectors)
    geo = module_geometry(table)
    _, test = read_store(args.test)
    for arrays in test.values():
        arrays.pop("_attrs", None)
    pools = {"pooled": MapAccumulator(geo, rotation=True, mirror=True)}
    triples = {g: TripletAccumulator(geo, True, True, g) for g in args.triplet_granularities if args.triplet_margins}
    if not args.no_plain:
        pools["plain"] = MapAccumulator(geo, rotation=False, mirror=False)
    sizes = sorted(set(args.sizes))
    rows, read_s = [], 0.0
    events = iter(training_events(args.map_events, sizes[-1]))
    while True:
        start = time.perf_counter()  # reading, doublets and pooling of one event (not the evaluations)
        item = next(events, None)
        if item is None:
            break
        doublets = event_doublets(item[1], geo, cfg["pt_min"], item[0])
        for acc in pools.values():
            acc.add(*doublets)
            acc.n_events += 1
        if triples:
            found = event_triplets(item[1], geo, cfg["pt_min"])
            for acc in triples.values():
                acc.add(*found)
        read_s += time.perf_counter() - start
        n = next(iter(pools.values())).n_events
        if n in sizes:
            for pooling, acc in pools.items():
                mmap = acc.result({"pt_min": cfg["pt_min"]})
                options = [(None, None)]
                if pooling == "pooled":
                    options += [(g, t) for g in triples for t in args.triplet_margins]
                for margin in args.margins:
                    for granularity, t_margin in options:
                        if granularity is not None:
                            for key, value in triples[granularity].result().items():
                                setattr(mmap, key, value)
                            mmap.attrs["triplet_granularity"] = granularity
                        row = {
                            "pooling": pooling,
                            "n_events": n,
                            "n_pairs": len(mmap.pairs),
                            "triplet_granularity": granularity,
                            "n_triples": len(mmap.triples) if granularity else None,
                            "map_build_seconds": read_s,
                            **evaluate(mmap, margin, test, t_margin, args.threads),
                        }
                        rows.append(row)
                        print(dumps(row), file=sys.stderr, flush=True)
    result = {
        "command": " ".join(["python", "bench/module_map.py", *(argv if argv is not None else sys.argv[1:])]),
        "test": args.test,
        "n_test_events": len(test),
        "test_hits": sum(len(a["hit_id"]) for a in test.values()),
        "pt_min": cfg["pt_min"],
        "map_build_seconds_all_events": read_s,
        "rows": rows,
    }
    print(dumps(result))
    if args.out:
        write_json(args.out, result)
    if args.png:
        plot(rows, args.png)
    return 0


def plot(rows: list[dict], path: str) -> None:
    """Target edge efficiency vs edges per hit: a line per (pooling, N) through its margins."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from trackgnn.utils.atomic import atomic_path

    fig, ax = plt.subplots(figsize=(6, 4))
    for pooling, style in (("pooled", "-o"), ("plain", "--s")):
        for n in sorted({r["n_events"] for r in rows}):
            sel = [r for r in rows if r["pooling"] == pooling and r["n_events"] == n]
            if sel:
                ax.plot(
                    [r["edges_per_hit"] for r in sel],
                    [r["efficiency_target"] for r in sel],
                    style,
                    label=f"{pooling}, {n} events",
                )
    ax.set_xlabel("edges per hit")
    ax.set_ylabel("target edge efficiency (pT > 1 GeV)")
    ax.set_title("module map: coverage (points: margins)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
