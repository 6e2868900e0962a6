"""PNG figures of a diagnostics report (matplotlib, Agg backend), drawn from the report alone."""

from __future__ import annotations

from pathlib import Path

from trackgnn.utils.atomic import atomic_path


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    return path


def write_plots(report: dict, out_dir: str | Path) -> list[Path]:
    """``layer_ratio.png`` (reference / events per layer), ``profiles_<volume>.png`` and, with
    cells on both sides, ``cells_ratio.png``. Returns the paths written."""
    plt = _figure()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []

    layers = report["per_layer"]
    names = list(layers)
    fig, ax = plt.subplots(figsize=(max(6, 0.25 * len(names)), 3.5))
    ax.bar(range(len(names)), [layers[n]["ratio"] or 0.0 for n in names], color="tab:blue")
    ax.axhline(1.0, color="black", lw=0.8)
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_ylabel("hits per event: reference / events")
    ax.set_xlabel("volume/layer")
    written.append(_save(fig, out_dir / "layer_ratio.png"))
    plt.close(fig)

    by_volume: dict[str, list[str]] = {}
    for name in report["profiles"]:
        by_volume.setdefault(name.split("/")[0], []).append(name)
    for volume, layer_names in by_volume.items():
        fig, axes = plt.subplots(1, len(layer_names), figsize=(2.6 * len(layer_names), 2.6), squeeze=False)
        for ax, name in zip(axes[0], layer_names):
            prof = report["profiles"][name]
            edges = prof["edges_mm"]
            centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])]
            ax.step(centres, prof["events"], where="mid", label="events")
            ax.step(centres, prof["reference"], where="mid", label="reference")
            ax.set_title(name, fontsize=8)
            ax.set_xlabel(f"{prof['axis']} [mm]", fontsize=7)
            ax.tick_params(labelsize=6)
        axes[0][0].set_ylabel("hits per event", fontsize=7)
        axes[0][0].legend(fontsize=6)
        written.append(_save(fig, out_dir / f"profiles_{volume}.png"))
        plt.close(fig)

    cells = report.get("cells_per_volume") or {}
    with_ratio = {v: e["ratio"] for v, e in cells.items() if "ratio" in e}
    if with_ratio:
        stats = list(next(iter(with_ratio.values())))
        fig, ax = plt.subplots(figsize=(7, 3.5))
        width = 0.8 / len(stats)
        for i, stat in enumerate(stats):
            ax.bar(
                [j + i * width for j in range(len(with_ratio))],
                [r[stat] or 0.0 for r in with_ratio.values()],
                width=width,
                label=stat,
            )
        ax.axhline(1.0, color="black", lw=0.8)
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(with_ratio))], list(with_ratio))
        ax.set_xlabel("volume")
        ax.set_ylabel("cells: reference / events")
        ax.legend(fontsize=7)
        written.append(_save(fig, out_dir / "cells_ratio.png"))
        plt.close(fig)
    return written
