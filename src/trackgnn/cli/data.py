"""``trackgnn simulate`` and ``trackgnn link-events``: the data stage."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from trackgnn.cli.common import add_config_argument, atomic_directory, event_id_list

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    sim = subparsers.add_parser(
        "simulate",
        help="simulate TrackML-format events with ACTS (Fatras in the TrackML detector)",
        description=(
            "Simulate events with ACTS (pyacts): particles from the pile-up generator, replayed "
            "TrackML particles.csv files or Pythia 8 (config simulation.source) go through Fatras in "
            "the TrackML detector with a 2 T field, then digitization with cells, noise and module "
            "inefficiency. Writes event<id>-{hits,cells,particles,truth}.csv and detectors.csv into "
            "--out. The same config and seed give identical files."
        ),
    )
    add_config_argument(sim, required=False)
    sim.add_argument(
        "--out",
        required=True,
        help="output folder (built aside and swapped in when complete; refused when it overlaps an input or holds files trackgnn did not write)",
    )
    sim.add_argument("--particles", help="TrackML particles file or folder to replay (sets source 'particles')")
    group = sim.add_mutually_exclusive_group()
    group.add_argument("--events", type=int, help="number of events (ids first-event .. first-event+N-1)")
    group.add_argument("--event-ids", type=event_id_list, help="explicit ids, e.g. '1000,1001,1005-1009'")
    sim.add_argument(
        "--first-event", type=int, default=None, help="first id with --events (default data.first_event_id)"
    )
    sim.add_argument("--seed", type=int, default=None, help="master seed (default run.seed)")
    sim.add_argument("--no-progress", action="store_true", help="no progress bar")
    sim.set_defaults(func=simulate)

    link = subparsers.add_parser(
        "link-events",
        help="gather existing TrackML files of some events into a folder (symbolic links)",
        description="Link the files of --event-ids from --input into --out (and detectors.csv if present).",
    )
    link.add_argument("--input", required=True, help="folder of TrackML event files")
    link.add_argument("--event-ids", required=True, type=event_id_list, help="ids, e.g. '2,3,5-6'")
    link.add_argument("--detectors", help="detectors.csv(.gz) to link as well")
    link.add_argument(
        "--out",
        required=True,
        help="output folder (refused when it overlaps --input or holds files trackgnn did not write)",
    )
    link.set_defaults(func=link_events)


def simulate(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config, validate_config
    from trackgnn.simulation import simulate_events, write_geometry

    config = load_config(args.config) if args.config else validate_config({})
    sim_cfg = dict(config["simulation"])
    particles = args.particles or config["data"].get("particles")
    if args.particles:
        sim_cfg["source"] = "particles"
    seed = config["run"]["seed"] if args.seed is None else args.seed
    if args.event_ids is not None:
        ids = args.event_ids
    else:
        first = config["data"]["first_event_id"] if args.first_event is None else args.first_event
        ids = list(range(first, first + (args.events or config["data"]["n_events"])))
    with atomic_directory(args.out, inputs=[args.config, particles]) as tmp:
        write_geometry(tmp)
        simulate_events(sim_cfg, tmp, ids, seed, particles=particles, progress=not args.no_progress)
    log.info("simulated %d events into %s", len(ids), args.out)
    return 0


def link_events(args: argparse.Namespace) -> int:
    from trackgnn.io.trackml import ALL_PARTS, event_file

    source = Path(args.input)
    if not source.is_dir():
        raise FileNotFoundError(f"--input {source}: not a folder of TrackML events")
    with atomic_directory(args.out, inputs=[source, args.detectors]) as tmp:
        for event_id in args.event_ids:
            found = 0
            for part in ALL_PARTS:
                path = event_file(source, event_id, part)
                if path is not None:
                    os.symlink(path.resolve(), tmp / path.name)
                    found += 1
            if not found:
                raise FileNotFoundError(f"{source}: no files of event {event_id}")
        if args.detectors:
            detectors = Path(args.detectors)
            os.symlink(detectors.resolve(), tmp / ("detectors.csv" + (".gz" if detectors.suffix == ".gz" else "")))
    return 0
