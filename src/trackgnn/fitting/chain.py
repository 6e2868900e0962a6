"""The ACTS example-framework chain that fits track candidates:

measurements + proto tracks (Python reader; each candidate as several seed variants) -> space
points -> starting parameters from three space points per variant (``ProtoTracksToParameters``)
-> Kalman filter of each variant (``TrackFittingAlgorithm``, perigee at the origin) -> Kalman
filter of the whole candidate from each variant's fitted perigee parameters -> optional CKF
extension from those fits -> optional greedy ambiguity resolution -> Python collector (which
keeps the best fit per candidate, :mod:`trackgnn.fitting.select`).

The pyacts 48.1 whiteboard quirks of :mod:`trackgnn.baselines.acts_chain` apply: the
``MeasurementContainer`` written by the reader is moved into the whiteboard, so the
``MeasurementSubset`` that ``SpacePointMaker`` and the CKF read is made by a second
algorithm; the fitter itself reads the container. The ambiguity resolution's output tracks
carry no usable parameters, so survivors are looked up among the fitted tracks.
"""

from __future__ import annotations

import gc
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from trackgnn.baselines.measurements import Measurements
from trackgnn.fitting.candidates import Candidates
from trackgnn.fitting.config import FittingConfig
from trackgnn.fitting.elements import python_elements

#: ``load(i)`` -> (event id, measurements, candidates, seconds reading, seconds converting)
Loader = Callable[[int], tuple[int, Measurements, Candidates, float, float]]
#: every TrackML volume: each measurement becomes a space point for the starting triplet
ALL_VOLUMES = (7, 8, 9, 12, 13, 14, 16, 17, 18)


def run_fit_chain(cfg: FittingConfig, bfield_t: float, n_events: int, load: Loader) -> list[dict]:
    """Fit the candidates of ``n_events`` events; one record per event, in event order.

    Each record: ``event_id``, ``hit_id`` (per measurement), ``candidates``, ``seeded`` (set of
    candidate indices that got starting parameters), ``fitted`` (:class:`FittedTrack` list
    out of the fitter, or of the CKF extension), ``final`` (after ambiguity resolution; the
    same list without it), ``read_s``, ``convert_s``, ``acts_s`` (wall) and ``acts_cpu_s``.
    """
    import acts
    import acts.examples as ax
    import acts.examples.json as ax_json

    from trackgnn.simulation.geometry import acts_geometry

    u = acts.UnitConstants
    _, geometry = acts_geometry()
    field = acts.ConstantBField(acts.Vector3(0.0, 0.0, bfield_t * u.T))
    level = getattr(acts.logging, cfg.acts_log_level)
    # per-track propagation failures are logged at ERROR: routine for bad candidates
    quiet = level if cfg.acts_log_level in ("VERBOSE", "DEBUG", "INFO") else acts.logging.FATAL
    records: dict[int, dict] = {}
    feeder_cls, subset_cls, expander_cls, collector_cls = python_elements()
    with tempfile.TemporaryDirectory(prefix="trackgnn-fit-") as tmp:
        selection = Path(tmp) / "volumes.json"
        selection.write_text(json.dumps([{"volume": v} for v in ALL_VOLUMES]))
        seq = ax.Sequencer(events=n_events, numThreads=1, logLevel=acts.logging.WARNING, outputDir=tmp, trackFpes=False)
        seq.addReader(feeder_cls(n_events, load, records))
        seq.addAlgorithm(subset_cls())
        seq.addAlgorithm(
            ax.SpacePointMaker(
                level=level,
                inputMeasurements="measurement_subset",
                outputSpacePoints="spacepoints",
                trackingGeometry=geometry,
                geometrySelection=ax_json.readJsonGeometryList(str(selection)),
            )
        )
        seq.addAlgorithm(
            ax.ProtoTracksToParameters(
                level=quiet,
                inputProtoTracks="candidates",
                inputSpacePoints="spacepoints",
                outputParameters="start_parameters",
                outputProtoTracks="seeded_candidates",
                outputSeeds="candidate_seeds",
                geometry=geometry,
                magneticField=field,
                minTransverseDistance=cfg.seed_min_transverse_distance_mm * u.mm,
                spacePointSelection=getattr(ax.SeedSpacePointSelection, cfg.seed_space_points),
            )
        )
        fit = ax.makeKalmanFitterFunction(
            geometry,
            field,
            multipleScattering=cfg.multiple_scattering,
            energyLoss=cfg.energy_loss,
            reverseFilteringMomThreshold=0.0,
            reverseFilteringCovarianceScaling=100.0,
            freeToBoundCorrection=ax.FreeToBoundCorrection(False),
            chi2Cut=cfg.outlier_chi2_cut,
            useJosephFormulation=False,
            level=quiet,
        )
        # pass 1: each seed variant from its starting triplet; pass 2: the whole candidate
        # from the pass-1 perigee parameters (a wrong inner hit then shows up as an outlier)
        perigee = acts.Surface.createPerigee(acts.Vector3(0.0, 0.0, 0.0))
        for protos, params, tracks in (
            ("seeded_candidates", "start_parameters", "seed_fit_tracks"),
            ("full_candidates", "seed_fit_parameters", "kf_tracks"),
        ):
            if protos == "full_candidates":
                seq.addAlgorithm(
                    ax.TracksToParameters(
                        level=quiet,
                        inputTracks="seed_fit_tracks",
                        outputTrackParameters="seed_fit_parameters",
                    )
                )
                seq.addAlgorithm(expander_cls(records, cfg.refit_variants == "all"))
            seq.addAlgorithm(
                ax.TrackFittingAlgorithm(
                    level=quiet,
                    inputMeasurements="measurements",
                    inputProtoTracks=protos,
                    inputInitialTrackParameters=params,
                    inputClusters="",
                    outputTracks=tracks,
                    pickTrack=-1,
                    fit=fit,
                    calibrator=ax.makePassThroughCalibrator(),
                    linkForward=False,
                    referenceSurface=perigee,
                )
            )
        fitted = "kf_tracks"
        if cfg.extend_ckf:
            _add_extension(seq, cfg, geometry, field, quiet)
            fitted = "extended_tracks"
        final = fitted
        if cfg.ambiguity_resolution:
            seq.addAlgorithm(
                ax.GreedyAmbiguityResolutionAlgorithm(
                    level=level,
                    inputTracks=fitted,
                    outputTracks="resolved_tracks",
                    maximumSharedHits=cfg.max_shared_hits,
                    nMeasurementsMin=cfg.min_hits,
                    maximumIterations=1_000_000,
                )
            )
            final = "resolved_tracks"
        seq.addAlgorithm(collector_cls(fitted, final, records))
        # the readers make ~10^5 short-lived Python objects per event: without this, the
        # cyclic collector rescans them all again and again (5% of the event's time)
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            seq.run()
        finally:
            if gc_was_enabled:
                gc.enable()
    missing = [i for i in range(n_events) if "final" not in records.get(i, {})]
    if missing:
        raise RuntimeError(f"ACTS produced no fitted-track container for event index(es) {missing}")
    return [records[i] for i in range(n_events)]


def _add_extension(seq, cfg: FittingConfig, geometry, field, level) -> None:
    """CKF from each fitted track's perigee parameters through all measurements."""
    import acts
    import acts.examples as ax

    seq.addAlgorithm(
        ax.TracksToParameters(
            level=level,
            inputTracks="kf_tracks",
            outputTrackParameters="kf_parameters",
        )
    )
    cuts = ([], [cfg.ckf_chi2_cut], [cfg.outlier_chi2_cut], [cfg.ckf_measurements_per_surface])
    seq.addAlgorithm(
        ax.TrackFindingAlgorithm(
            level=level,
            measurementSelectorCfg=acts.MeasurementSelector.Config([(acts.GeometryIdentifier(), cuts)]),
            inputMeasurements="measurement_subset",
            inputInitialTrackParameters="kf_parameters",
            outputTracks="extended_tracks",
            findTracks=ax.TrackFindingAlgorithm.makeTrackFinderFunction(geometry, field, level),
            findTracksBrem=ax.TrackFindingAlgorithm.makeBremTrackFinderFunction(geometry, field, level),
            trackingGeometry=geometry,
            magneticField=field,
            trackSelectorCfg=acts.TrackSelector.Config(minMeasurements=cfg.min_hits),
            twoWay=False,
            seedDeduplication=False,
            stayOnSeed=False,
        )
    )
