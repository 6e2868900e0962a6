"""Edge efficiency vs edges per hit over a scan of radii and kNN caps (data + PNG).

For each radius :math:`r` and cap :math:`k` the graphs of all events are rebuilt and pooled:
efficiency = :math:`\\sum` target kept / :math:`\\sum` ``truth_target``, edges/hit = :math:`\\sum E / \\sum N`.
At full occupancy most hits fill their :math:`k` slots, so :math:`k` as much as :math:`r` sets
the graph size and the search time; the scan gives both knobs with the search seconds per
event, so the operating point can be chosen on efficiency, graph size and time together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from trackgnn.utils.atomic import atomic_path
from trackgnn.utils.finite import check_finite
from trackgnn.utils.jsonio import write_json


def efficiency_curve(
    config: Mapping,
    model_dir: str | Path,
    shard: str | Path,
    radii: Sequence[float] | None = None,
    knns: Sequence[int | None] | None = None,
) -> list[dict]:
    """Rows ``{radius, knn, efficiency, purity, edges_per_hit, n_dropped, n_capped,
    search_s_per_event}`` for each radius (default ``metric_learning.curve_radii``) and kNN cap
    (default ``metric_learning.curve_knn``, or ``[metric_learning.knn]`` when that is null), on the events
    of a feature-store shard with truth."""
    from trackgnn.config import stage_section
    from trackgnn.data import read_store
    from trackgnn.graph_construction.backends import get_backend
    from trackgnn.graph_construction.build import summarize
    from trackgnn.graph_construction.export import load_model
    from trackgnn.graph_construction.graph import embed, event_graph, graph_metrics

    cfg = stage_section(config, "metric_learning")
    model = load_model(model_dir)
    _, events = read_store(shard)
    if any("truth_edges" not in a for a in events.values()):
        raise ValueError(f"{shard}: the efficiency curve needs truth arrays")
    search = get_backend(cfg["backend"], threads=cfg["threads"], **cfg["backend_options"])
    embs = {e: embed(model, a["x"]) for e, a in events.items()}
    for e, emb in embs.items():
        check_finite(
            emb,
            "embeddings",
            f"{shard} event {e}",
            f"the embedding model in {model_dir} or the node features are corrupt",
        )
    if knns is None:
        knns = cfg["curve_knn"] if cfg["curve_knn"] is not None else [cfg["knn"]]
    rows = []
    for knn in knns:
        for radius in radii or cfg["curve_radii"]:
            per_event = {}
            for e, arrays in events.items():
                graph, stats = event_graph(arrays, embs[e], search, float(radius), knn)
                per_event[e] = {**graph_metrics(arrays, graph), **stats}
            tot = summarize(per_event)
            seconds = sum(r["search_s"] for r in per_event.values()) / max(len(per_event), 1)
            rows.append(
                {
                    "radius": float(radius),
                    "knn": None if knn is None else int(knn),
                    **{k: tot[k] for k in ("efficiency", "purity", "edges_per_hit", "n_dropped", "n_capped")},
                    "search_s_per_event": seconds,
                }
            )
    return rows


def write_curve(rows: list[dict], json_path: str | Path, png_path: str | Path | None = None) -> None:
    """Write the curve as JSON and, with ``png_path``, as a plot (efficiency vs edges/hit)."""
    write_json(json_path, rows)
    if png_path is None:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4))
    caps = list(dict.fromkeys(r.get("knn") for r in rows))  # one line per kNN cap, in scan order
    for cap in caps:
        line = [r for r in rows if r.get("knn") == cap]
        label = "no cap" if cap is None else f"k = {cap}"
        ax.plot([r["edges_per_hit"] for r in line], [r["efficiency"] for r in line], "o-", label=label)
        for r in line:
            ax.annotate(f"r={r['radius']:g}", (r["edges_per_hit"], r["efficiency"]), fontsize=7)
    if len(caps) > 1:
        ax.legend(fontsize=8)
    ax.axhline(0.99, ls="--", color="grey", lw=0.8)
    ax.set_xlabel("edges per hit")
    ax.set_ylabel("edge efficiency (target particles)")
    ax.set_title("graph construction: radius and kNN scan" if len(caps) > 1 else "graph construction: radius scan")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    with atomic_path(png_path) as tmp:
        fig.savefig(tmp, dpi=120, format="png")
    plt.close(fig)
