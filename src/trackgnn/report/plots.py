"""Matplotlib figures of the evaluation: efficiency vs pT/eta, fake rate vs eta, event display."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from trackgnn.metrics.aggregate import binomial_efficiency  # noqa: E402
from trackgnn.utils.atomic import atomic_path  # noqa: E402


def _save(fig, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png")
    plt.close(fig)
    return Path(path)


def binned_plot(results: dict[str, dict], key: str, value: str, xlabel: str, ylabel: str, path, log_x=False) -> Path:
    """One curve per method of ``results[method][key]`` rows (``low, high, value``, and
    ``error_low, error_high`` drawn as asymmetric error bars when present, or the single
    symmetric ``error`` of metrics files written before them)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for method, result in results.items():
        rows = pd.DataFrame(result[key])
        centre = 0.5 * (rows["low"] + rows["high"])
        half = 0.5 * (rows["high"] - rows["low"])
        if "error_low" in rows:
            err = [rows["error_low"], rows["error_high"]]
        else:  # metrics written before the Wilson interval: one symmetric error
            err = rows.get("error")
        ax.errorbar(centre, rows[value], xerr=half, yerr=err, fmt="o", ms=3, label=method)
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)


def event_display(hits: pd.DataFrame, labels: pd.DataFrame, path, max_tracks: int = 60) -> Path:
    """x-y and r-z views of one event; hits of the longest tracks coloured by track."""
    merged = hits.merge(labels[["hit_id", "track_id"]], on="hit_id", how="left")
    r = np.hypot(merged["x"], merged["y"])
    sizes = merged.groupby("track_id").size().sort_values(ascending=False)
    shown = sizes.index[:max_tracks]
    fig, (ax_xy, ax_rz) = plt.subplots(1, 2, figsize=(12, 5))
    ax_xy.scatter(merged["x"], merged["y"], s=0.3, c="lightgrey")
    ax_rz.scatter(merged["z"], r, s=0.3, c="lightgrey")
    cmap = plt.get_cmap("tab20")
    for k, track in enumerate(shown):
        sel = merged["track_id"] == track
        order = np.argsort(r[sel].to_numpy())
        xs, ys, zs = (merged.loc[sel, c].to_numpy()[order] for c in ("x", "y", "z"))
        rs = r[sel].to_numpy()[order]
        ax_xy.plot(xs, ys, "-o", ms=1.5, lw=0.6, color=cmap(k % 20))
        ax_rz.plot(zs, rs, "-o", ms=1.5, lw=0.6, color=cmap(k % 20))
    ax_xy.set_xlabel("x [mm]")
    ax_xy.set_ylabel("y [mm]")
    ax_xy.set_aspect("equal")
    ax_rz.set_xlabel("z [mm]")
    ax_rz.set_ylabel("r [mm]")
    fig.suptitle(f"{len(shown)} longest of {len(sizes)} track candidates")
    return _save(fig, path)


#: The graph-efficiency figures: binning, x label, log x, upper edge drawn for the open last bin.
GRAPH_PLOTS = {
    "pt": ("particle pT [GeV]", True, 20.0),
    "eta": ("particle eta", False, None),
    "r_inner": ("radius of the edge's inner hit [mm]", False, None),
}


def efficiency_rows(binned: dict, open_end: float | None = None) -> list[dict]:
    """One pooled binning of :func:`~trackgnn.metrics.edges.pool_binned` as rows ``low, high,
    efficiency, error_low, error_high, n`` (68% Wilson interval,
    :func:`~trackgnn.metrics.aggregate.binomial_efficiency`; empty bins left out), the form
    :func:`binned_plot` takes.
    ``open_end`` replaces a last upper edge above it (the pT binning's 1e6 GeV)."""
    bins = list(binned["bins"])
    if open_end is not None and bins[-1] > open_end:
        bins[-1] = open_end
    eff, below, above = binomial_efficiency(binned["n_target_kept"], binned["n_target_true"])
    return [
        {"low": low, "high": high, "efficiency": float(e), "error_low": float(lo), "error_high": float(hi), "n": n}
        for low, high, e, lo, hi, n in zip(bins[:-1], bins[1:], eff, below, above, binned["n_target_true"])
        if n
    ]


def graph_efficiency_plots(metrics_paths, out_dir) -> list[Path]:
    """Edge efficiency of graph construction (target particles) per bin, pooled over the
    build-graphs metrics JSONs given (those without truth or bins are skipped, and so is a
    binning without a filled bin)."""
    import json

    from trackgnn.metrics.edges import pool_binned

    binned = []
    for path in metrics_paths:
        total = json.loads(Path(path).read_text()).get("total", {})
        if total.get("binned"):
            binned.append(total["binned"])
    pooled = pool_binned(binned)
    paths = []
    for name, (xlabel, log_x, open_end) in GRAPH_PLOTS.items():
        rows = efficiency_rows(pooled[name], open_end) if name in pooled else []
        if rows:
            paths.append(
                binned_plot(
                    {"graph construction": {"rows": rows}},
                    "rows",
                    "efficiency",
                    xlabel,
                    "edge efficiency",
                    Path(out_dir) / f"graph_efficiency_vs_{name}.png",
                    log_x=log_x,
                )
            )
    return paths
