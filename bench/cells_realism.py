"""Compare the cells of simulated TrackML events with the real reference, per volume.

Reads every event with cells in ``--events`` (e.g. the output of
``trackgnn simulate --out /tmp/sim --events 3 --seed 1``), computes the four statistics of
FACTS section 9 (cells per hit, summed value per hit, extent along ch0 and ch1) per volume,
and prints one JSON object: per volume the simulated value, the real reference
(:data:`trackgnn.diagnostics.reference.REAL_CELLS`, FACTS section 9) and their ratio, plus the
worst relative deviation; the JSON also records the command, commit and machine.

    .venv/bin/python bench/cells_realism.py --events /tmp/sim [--out result.json]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def compare(directory: Path) -> dict:
    """The JSON-ready comparison of the events in ``directory`` against the reference."""
    from trackgnn.diagnostics.cells import per_hit, summarise
    from trackgnn.diagnostics.reference import CELL_STATS, REAL_CELLS
    from trackgnn.io.trackml import list_event_ids, read_event

    ids = list_event_ids(directory, part="cells")
    if not ids:
        raise SystemExit(f"--events {directory}: no event<id>-cells.csv files")
    tables = [
        per_hit(*_hits_cells(read_event(directory, e, require=("hits", "cells"))), where=f"{directory} event {e}")
        for e in ids
    ]
    sim = summarise(pd.concat(tables, ignore_index=True), ["volume_id"])
    per_volume, worst = {}, 0.0
    for volume, ref in REAL_CELLS.items():
        got = sim.get(str(volume))
        if got is None:
            per_volume[str(volume)] = {"error": "no simulated hits with cells in this volume"}
            worst = float("inf")
            continue
        entry = {"hits": got["hits"]}
        for stat in CELL_STATS:
            ratio = got[stat] / ref[stat]
            entry[stat] = {"sim": got[stat], "real": ref[stat], "ratio": round(ratio, 4)}
            worst = max(worst, abs(ratio - 1.0))
        per_volume[str(volume)] = entry
    return {
        "events": ids,
        "directory": str(directory),
        "reference": "FACTS section 9",
        "per_volume": per_volume,
        "worst_relative_deviation": round(worst, 4),
    }


def _hits_cells(event):
    return event.hits, event.cells


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", required=True, type=Path, help="folder of simulated TrackML events with cells")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    from trackgnn.utils.bench_record import emit

    emit({"benchmark": "cells_realism", **compare(args.events)}, __file__, args.out, argv)


if __name__ == "__main__":
    main()
