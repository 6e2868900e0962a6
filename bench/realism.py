"""Replay real TrackML particles through the simulation and compare hit counts with the
real hits of the same events, per volume and per (volume, layer). Prints one JSON object (with
the command, commit and machine), also written to ``--out``.

    .venv/bin/python bench/realism.py [--events N] [--set key=value ...] [--out results/bench/realism.json]

``--set`` overrides ``simulation:`` keys (YAML values), e.g. ``--set noise=0``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
DATA = REPO.parent / "shared" / "data" / "trackml" / "train"
EVENTS = (1001, 1003, 1005, 1009, 1010, 1012, 1013)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=len(EVENTS), help="number of real events to replay")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a simulation key")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)

    from trackgnn.simulation.config import SimulationConfig
    from trackgnn.simulation.event import simulate_event
    from trackgnn.utils.bench_record import emit

    overrides = {"source": "particles"}
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    cfg = SimulationConfig.from_dict(overrides)
    if not DATA.is_dir():
        print(json.dumps({"error": f"real data not found at {DATA}"}))
        return
    sim_rows, real_rows, timing, per_event = [], [], [], []
    for event_id in EVENTS[: args.events]:
        particles_path = DATA / f"event{event_id:09d}-particles.csv.gz"
        start = time.perf_counter()
        frames = simulate_event(cfg, event_id, args.seed, [particles_path], 0)
        timing.append(time.perf_counter() - start)
        hits = frames["hits"].assign(noise=(frames["truth"]["particle_id"].to_numpy() == 0))
        real = pd.read_csv(DATA / f"event{event_id:09d}-hits.csv.gz")
        real_particles = pd.read_csv(particles_path)
        sim_rows.append(hits.assign(event=event_id))
        real_rows.append(real.assign(event=event_id))
        per_event.append(
            {
                "event": event_id,
                "sim_hits": len(hits),
                "real_hits": len(real),
                "sim_particle_hits": int((~hits.noise).sum()),
                "real_particle_hits": int(real_particles["nhits"].sum()),
                "seconds": round(timing[-1], 2),
            }
        )
    sim = pd.concat(sim_rows)
    real = pd.concat(real_rows)
    n = len(per_event)

    def compare(keys):
        s = sim.groupby(keys).size() / n
        sig = sim[~sim.noise].groupby(keys).size() / n
        r = real.groupby(keys).size() / n
        table = pd.DataFrame({"sim": s, "sim_signal": sig, "real": r}).fillna(0)
        table["ratio"] = table["sim"] / table["real"]
        return table

    vol = compare(["volume_id"])
    lay = compare(["volume_id", "layer_id"])
    result = {
        "benchmark": "realism",
        "events": [p["event"] for p in per_event],
        "config": {
            k: (v if not isinstance(v, dict) else {str(a): b for a, b in v.items()}) for k, v in cfg.__dict__.items()
        },
        "total": {
            "sim": round(float(sim.shape[0] / n), 1),
            "real": round(float(real.shape[0] / n), 1),
            "ratio": round(float(sim.shape[0] / real.shape[0]), 4),
            "sim_signal": round(float((~sim.noise).sum() / n), 1),
            "real_signal_from_nhits": round(float(np.mean([p["real_particle_hits"] for p in per_event])), 1),
        },
        "per_volume": {str(v): {k: round(float(x), 4) for k, x in row.items()} for v, row in vol.iterrows()},
        "per_layer": {f"{v}/{l}": {k: round(float(x), 4) for k, x in row.items()} for (v, l), row in lay.iterrows()},
        "worst_volume_deviation": round(float((vol["ratio"] - 1).abs().max()), 4),
        "worst_layer_deviation": round(float((lay["ratio"] - 1).abs().max()), 4),
        "seconds_per_event": round(float(np.mean(timing)), 2),
        "per_event": per_event,
    }
    emit(result, __file__, args.out, argv)


if __name__ == "__main__":
    main()
