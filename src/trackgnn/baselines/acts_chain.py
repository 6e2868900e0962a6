"""The ACTS example-framework chain: measurements -> space points -> grid triplet seeds ->
track parameters -> CKF -> greedy ambiguity resolution -> measurement indices per track.

No truth enters: measurements come from a Python reader fed with the TrackML hits, and
the tracks leave through a Python algorithm that reads the track container. (The
``reconstruction.py`` helpers ``addSeeding``/``addCKFTracks`` add truth matchers that need
particles, so the algorithms are configured here directly.)

pyacts 48.1 notes: a ``MeasurementContainer`` handed to a ``WriteDataHandle`` is moved into
the whiteboard, so the ``MeasurementSubset`` that ``SpacePointMaker`` and the CKF read is
built by a second algorithm on the whiteboard's container (``ReadDataHandle`` returns a
reference). ``trackStates`` needs a stem index the CKF does not set: use
``trackStatesReversed``.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trackgnn.baselines.config import ActsCkfConfig
from trackgnn.baselines.labels import FoundTracks
from trackgnn.baselines.measurements import Measurements

#: ``load(i)`` -> (event id, measurements, seconds reading files, seconds converting hits)
Loader = Callable[[int], tuple[int, Measurements, float, float]]


def _level(name: str):
    import acts

    return getattr(acts.logging, name)


def _python_elements():
    """The reader / subset / collector classes (defined lazily: they subclass ACTS types)."""
    import acts
    import acts.examples as ax

    class MeasurementFeeder(ax.IReader):
        """Event ``i``: ``load(i)`` -> ``MeasurementContainer`` on the whiteboard."""

        def __init__(self, n_events: int, load: Loader, output: str, records: dict):
            ax.IReader.__init__(self, "TrackMLMeasurementFeeder", acts.logging.WARNING)
            self._n, self._load, self._records = n_events, load, records
            self._out = ax.WriteDataHandle(self, ax.MeasurementContainer, "OutputMeasurements")
            self._out.initialize(output)

        def availableEvents(self):
            return (0, self._n)

        def read(self, context):
            i = context.eventNumber
            event_id, meas, read_s, convert_s = self._load(i)
            start, cpu_start = time.perf_counter(), time.process_time()
            container = ax.MeasurementContainer()
            container.reserve(len(meas))
            cols = zip(meas.geometry_id.tolist(), meas.local.tolist(), meas.variance.tolist())
            for gid, loc, var in cols:
                container.emplaceMeasurement(acts.GeometryIdentifier(gid), [0, 1], loc, var)
            self._records[i] = {
                "event_id": event_id,
                "hit_id": meas.hit_id,
                "read_s": read_s,
                "convert_s": convert_s,
                "start": start,
                "cpu_start": cpu_start,
            }
            self._out(context, container)
            return ax.ProcessCode.SUCCESS

    class SubsetMaker(ax.IAlgorithm):
        """The subset of all measurements, over the whiteboard's container."""

        def __init__(self, inp: str, out: str):
            ax.IAlgorithm.__init__(self, "MeasurementSubsetMaker", acts.logging.WARNING)
            self._in = ax.ReadDataHandle(self, ax.MeasurementContainer, "InputMeasurements")
            self._in.initialize(inp)
            self._out = ax.WriteDataHandle(self, ax.MeasurementSubset, "OutputMeasurementSubset")
            self._out.initialize(out)

        def execute(self, context):
            container = self._in(context.eventStore)
            self._out(context, ax.MeasurementSubset(container, list(range(len(container)))))
            return ax.ProcessCode.SUCCESS

    class TrackCollector(ax.IAlgorithm):
        """Measurement indices (not outliers or holes) and chi2 of each track."""

        def __init__(self, inp: str, records: dict):
            ax.IAlgorithm.__init__(self, "TrackCollector", acts.logging.WARNING)
            self._in = ax.ReadDataHandle(self, ax.ConstTrackContainer, "InputTracks")
            self._in.initialize(inp)
            self._records = records

        def execute(self, context):
            lists, chi2 = [], []
            from_link = ax.IndexSourceLink.fromSourceLink
            for track in self._in(context.eventStore):
                idx = [
                    from_link(state.uncalibratedSourceLink).index()
                    for state in track.trackStatesReversed
                    if state.typeFlags.isMeasurement and state.hasUncalibratedSourceLink
                ]
                if idx:
                    lists.append(idx[::-1])
                    chi2.append(track.chi2)
            record = self._records[context.eventNumber]
            record["tracks"] = FoundTracks.from_lists(lists, chi2)
            record["ckf_s"] = time.perf_counter() - record["start"]
            record["ckf_cpu_s"] = time.process_time() - record["cpu_start"]
            return ax.ProcessCode.SUCCESS

    return MeasurementFeeder, SubsetMaker, TrackCollector


def run_chain(cfg: ActsCkfConfig, bfield_t: float, n_events: int, load: Loader) -> list[dict]:
    """Reconstruct ``n_events`` events; one record per event, in event order.

    Each record: ``event_id``, ``hit_id`` (per measurement), ``tracks`` (:class:`FoundTracks`),
    ``read_s`` (file reading), ``convert_s`` (hits -> measurements), ``ckf_s`` (ACTS wall time,
    from filling the measurement container to the collected tracks) and ``ckf_cpu_s`` (CPU
    time of the whole process over the same span: all threads, so per event only with one).
    """
    import acts
    import acts.examples as ax
    import acts.examples.json as ax_json

    from trackgnn.simulation.geometry import acts_geometry

    u = acts.UnitConstants
    _, geometry = acts_geometry()
    field = acts.ConstantBField(acts.Vector3(0.0, 0.0, bfield_t * u.T))
    level = _level(cfg.acts_log_level)
    # per-seed extrapolation failures are logged at ERROR: routine in CKF, silenced unless debugging
    ckf_level = level if cfg.acts_log_level in ("VERBOSE", "DEBUG", "INFO") else acts.logging.FATAL
    records: dict[int, dict] = {}
    feeder_cls, subset_cls, collector_cls = _python_elements()
    with tempfile.TemporaryDirectory(prefix="trackgnn-ckf-") as tmp:
        selection = Path(tmp) / "seed_volumes.json"
        selection.write_text(json.dumps([{"volume": v} for v in cfg.seed_volumes]))
        seq = ax.Sequencer(
            events=n_events, numThreads=cfg.threads, logLevel=acts.logging.WARNING, outputDir=tmp, trackFpes=False
        )
        seq.addReader(feeder_cls(n_events, load, "measurements", records))
        seq.addAlgorithm(subset_cls("measurements", "measurement_subset"))
        seq.addAlgorithm(
            ax.SpacePointMaker(
                level=level,
                inputMeasurements="measurement_subset",
                outputSpacePoints="spacepoints",
                trackingGeometry=geometry,
                geometrySelection=ax_json.readJsonGeometryList(str(selection)),
            )
        )
        seq.addAlgorithm(_seeding(cfg, level, bfield_t))
        seq.addAlgorithm(
            ax.TrackParamsEstimationAlgorithm(
                level=level,
                inputSeeds="seeds",
                outputTrackParameters="estimatedparameters",
                outputSeeds="estimatedseeds",
                trackingGeometry=geometry,
                magneticField=field,
            )
        )
        selector = {"minMeasurements": cfg.min_measurements}
        if cfg.track_pt_min_gev > 0:
            selector["ptMin"] = cfg.track_pt_min_gev * u.GeV
        cuts = ([], [cfg.ckf_chi2_cut], [cfg.ckf_chi2_outlier], [cfg.ckf_measurements_per_surface])
        seq.addAlgorithm(
            ax.TrackFindingAlgorithm(
                level=ckf_level,
                measurementSelectorCfg=acts.MeasurementSelector.Config([(acts.GeometryIdentifier(), cuts)]),
                inputMeasurements="measurement_subset",
                inputInitialTrackParameters="estimatedparameters",
                inputSeeds="estimatedseeds",
                outputTracks="ckf_tracks",
                findTracks=ax.TrackFindingAlgorithm.makeTrackFinderFunction(geometry, field, ckf_level),
                findTracksBrem=ax.TrackFindingAlgorithm.makeBremTrackFinderFunction(geometry, field, ckf_level),
                trackingGeometry=geometry,
                magneticField=field,
                trackSelectorCfg=acts.TrackSelector.Config(**selector),
                twoWay=True,
                seedDeduplication=True,
                stayOnSeed=True,
            )
        )
        tracks = "ckf_tracks"
        if cfg.ambiguity_resolution:
            seq.addAlgorithm(
                ax.GreedyAmbiguityResolutionAlgorithm(
                    level=level,
                    inputTracks="ckf_tracks",
                    outputTracks="ambi_tracks",
                    maximumSharedHits=cfg.max_shared_hits,
                    nMeasurementsMin=cfg.min_measurements,
                    maximumIterations=1_000_000,
                )
            )
            tracks = "ambi_tracks"
        seq.addAlgorithm(collector_cls(tracks, records))
        seq.run()
    missing = [i for i in range(n_events) if "tracks" not in records.get(i, {})]
    if missing:
        raise RuntimeError(f"ACTS produced no tracks container for event index(es) {missing}")
    return [records[i] for i in range(n_events)]


def _seeding(cfg: ActsCkfConfig, level, bfield_t: float):
    import acts
    import acts.examples as ax

    u = acts.UnitConstants
    dr_min, dr_max = (v * u.mm for v in cfg.seed_delta_r_mm)
    return ax.GridTripletSeedingAlgorithm(
        level=level,
        inputSpacePoints="spacepoints",
        outputSeeds="seeds",
        bFieldInZ=bfield_t * u.T,
        minPt=cfg.seed_min_pt_gev * u.GeV,
        impactMax=cfg.seed_impact_max_mm * u.mm,
        deltaRMin=dr_min,
        deltaRMax=dr_max,
        deltaRMinTop=dr_min,
        deltaRMaxTop=dr_max,
        deltaRMinBottom=dr_min,
        deltaRMaxBottom=dr_max,
        rMax=cfg.seed_r_max_mm * u.mm,
        rMinMiddle=cfg.seed_r_middle_mm[0] * u.mm,
        rMaxMiddle=cfg.seed_r_middle_mm[1] * u.mm,
        zMin=cfg.seed_z_range_mm[0] * u.mm,
        zMax=cfg.seed_z_range_mm[1] * u.mm,
        collisionRegionMin=-cfg.seed_collision_region_mm * u.mm,
        collisionRegionMax=cfg.seed_collision_region_mm * u.mm,
        cotThetaMax=cfg.seed_cot_theta_max,
        maxSeedsPerSpM=cfg.seed_max_per_middle,
        sigmaScattering=cfg.seed_sigma_scattering,
        radLengthPerSeed=cfg.seed_rad_length_per_seed,
    )
