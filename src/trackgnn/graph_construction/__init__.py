"""Metric-learning graph construction: embed hits, connect those within a radius.

Graph shard arrays (``E`` edges): every feature-store array plus ``edge_index`` int64 [2, E]
(inner -> outer by distance from the origin; no self loops or same-module pairs) and, with
truth, ``y``, ``y_pid``, ``target_edge`` bool [E].
"""


def __getattr__(name):  # lazy: keep `import trackgnn.graph_construction` light for the CLI
    if name == "train_embedding":
        from trackgnn.graph_construction.train import train_embedding

        return train_embedding
    if name == "build_graphs":
        from trackgnn.graph_construction.build import build_graphs

        return build_graphs
    if name in ("efficiency_curve", "write_curve"):
        from trackgnn.graph_construction import curve

        return getattr(curve, name)
    if name in ("load_model", "save_model"):
        from trackgnn.graph_construction import export

        return getattr(export, name)
    raise AttributeError(name)


__all__ = ["build_graphs", "efficiency_curve", "load_model", "save_model", "train_embedding", "write_curve"]
