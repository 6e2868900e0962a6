"""``trackgnn simulate-module-map-events``, ``build-module-map`` and ``build-graphs-module-map``."""

from __future__ import annotations

import argparse
import logging

from trackgnn.cli.common import add_config_argument, atomic_directory

log = logging.getLogger(__name__)


def simulate_map_events(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.graph_construction.module_map.config import map_simulation, module_map_config
    from trackgnn.simulation import simulate_events, write_geometry

    config = load_config(args.config)
    cfg = module_map_config(config)
    n = cfg["events"] if args.events is None else args.events
    first = cfg["first_event_id"] if args.first_event is None else args.first_event
    seed = cfg["seed"] if args.seed is None else args.seed
    ids = list(range(first, first + n))
    with atomic_directory(args.out) as tmp:
        write_geometry(tmp)
        simulate_events(map_simulation(config), tmp, ids, seed, progress=not args.no_progress)
    log.info("simulated %d module-map events into %s", len(ids), args.out)
    return 0


def build_map(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.graph_construction.module_map.stage import build_module_map

    build_module_map(load_config(args.config), args.events, args.out, n_events=args.n_events, detectors=args.detectors)
    return 0


def build_graphs(args: argparse.Namespace) -> int:
    from trackgnn.config import load_config
    from trackgnn.graph_construction.module_map.stage import build_graphs_module_map

    detectors, remap = args.detectors, args.remap_geometry
    if args.events_dir and not detectors:
        from trackgnn.baselines.run import find_detectors

        # the events' own geometry file: a map built on the simulation is carried over to the
        # official TrackML numbering (endcap ids differ) instead of looking up the wrong pairs
        detectors, remap = find_detectors(args.events_dir), True
        if detectors is None:
            log.warning(
                "%s: no detectors.csv found with the events; the map's module numbering is assumed", args.events_dir
            )
    build_graphs_module_map(
        load_config(args.config),
        args.map,
        args.input,
        args.out,
        args.metrics,
        detectors,
        remap_geometry=remap,
    )
    return 0


def register(subparsers) -> None:
    s = subparsers.add_parser(
        "simulate-module-map-events",
        help="simulate the training events of a module map (config module_map.events/seed/simulation)",
        description="Simulate module_map.events events (ids from module_map.first_event_id, seed module_map.seed) "
        "with the config's simulation section overridden by module_map.simulation (by default only "
        "particles above 0.9 GeV, no noise), into --out with its detectors.csv.",
    )
    add_config_argument(s)
    s.add_argument("--out", required=True, help="output folder (replaced atomically when complete)")
    s.add_argument("--events", type=int, help="number of events (default module_map.events)")
    s.add_argument("--first-event", type=int, help="first event id (default module_map.first_event_id)")
    s.add_argument("--seed", type=int, help="master seed (default module_map.seed)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=simulate_map_events)

    m = subparsers.add_parser(
        "build-module-map",
        help="build a module map (module pairs and doublet ranges) from simulated events with truth",
        description="Record the module pairs joined by consecutive hits of particles above module_map.pt_min and "
        "the min/max of their doublet quantities, pooled over the detector's symmetries "
        "(module_map.rotation, module_map.mirror); writes a versioned HDF5 map.",
    )
    add_config_argument(m)
    m.add_argument(
        "--events",
        required=True,
        nargs="+",
        help="folders of simulated TrackML events (with truth), or feature-store shards with truth",
    )
    m.add_argument("--out", required=True, help="output module map (HDF5)")
    m.add_argument("--n-events", type=int, help="use the first N events (default module_map.events)")
    m.add_argument("--detectors", help="detectors.csv[.gz] (default: found next to the first events folder)")
    m.set_defaults(func=build_map)

    g = subparsers.add_parser(
        "build-graphs-module-map",
        help="build the graphs of a feature-store shard with a module map",
        description="For each hit, the hits on modules the map connects it to, kept when every doublet quantity lies "
        "within the pair's range (plus module_map.margin); same graph shard and metrics as build-graphs.",
    )
    add_config_argument(g)
    g.add_argument("--map", required=True, help="module map written by build-module-map")
    g.add_argument("--input", required=True, help="feature-store shard")
    g.add_argument("--out", required=True, help="output graph shard (HDF5)")
    g.add_argument("--metrics", help="metrics JSON (efficiency, purity, edges/hit, graph sizes, unseen-module hits)")
    g.add_argument("--detectors", help="detectors.csv[.gz] of the input events: check that the map was built for it")
    g.add_argument(
        "--remap-geometry",
        action="store_true",
        help="when --detectors numbers the modules differently (real TrackML endcaps against the "
        "simulation), carry the map over by module centres instead of failing",
    )
    g.add_argument(
        "--events-dir",
        help="folder of the input's events: their detectors.csv (found as acts-ckf finds it) is checked "
        "against the map and, when it numbers modules differently, the map is carried over (--remap-geometry)",
    )
    g.set_defaults(func=build_graphs)
