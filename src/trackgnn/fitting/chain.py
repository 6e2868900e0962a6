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

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trackgnn.baselines.measurements import Measurements
from trackgnn.fitting.candidates import Candidates
from trackgnn.fitting.config import FittingConfig
from trackgnn.fitting.readback import read_tracks

#: ``load(i)`` -> (event id, measurements, candidates, seconds reading, seconds converting)
Loader = Callable[[int], tuple[int, Measurements, Candidates, float, float]]
#: every TrackML volume: each measurement becomes a space point for the starting triplet
ALL_VOLUMES = (7, 8, 9, 12, 13, 14, 16, 17, 18)


def _python_elements():
    """Reader, subset maker and collector (defined lazily: they subclass ACTS types)."""
    import acts
    import acts.examples as ax

    class CandidateFeeder(ax.IReader):
        """Event ``i``: ``load(i)`` -> measurements and one proto track per candidate."""

        def __init__(self, n_events: int, load: Loader, records: dict):
            ax.IReader.__init__(self, "TrackMLCandidateFeeder", acts.logging.WARNING)
            self._n, self._load, self._records = n_events, load, records
            self._meas = ax.WriteDataHandle(self, ax.MeasurementContainer, "OutputMeasurements")
            self._meas.initialize("measurements")
            self._protos = ax.WriteDataHandle(self, ax.ProtoTrackContainer, "OutputProtoTracks")
            self._protos.initialize("candidates")

        def availableEvents(self):
            return (0, self._n)

        def read(self, context):
            i = context.eventNumber
            event_id, meas, candidates, read_s, convert_s = self._load(i)
            start, cpu_start = time.perf_counter(), time.process_time()
            container = ax.MeasurementContainer()
            container.reserve(len(meas))
            cols = zip(meas.geometry_id.tolist(), meas.local.tolist(), meas.variance.tolist())
            for gid, loc, var in cols:
                container.emplaceMeasurement(acts.GeometryIdentifier(gid), [0, 1], loc, var)
            protos = ax.ProtoTrackContainer()
            for indices in candidates.variants:
                proto = ax.ProtoTrack()
                proto.extend(indices)
                protos.append(proto)
            self._records[i] = {
                "event_id": event_id,
                "hit_id": meas.hit_id,
                "candidates": candidates,
                "read_s": read_s,
                "convert_s": convert_s,
                "start": start,
                "cpu_start": cpu_start,
            }
            self._meas(context, container)
            self._protos(context, protos)
            return ax.ProcessCode.SUCCESS

    class SubsetMaker(ax.IAlgorithm):
        """The subset of all measurements, over the whiteboard's container."""

        def __init__(self):
            ax.IAlgorithm.__init__(self, "MeasurementSubsetMaker", acts.logging.WARNING)
            self._in = ax.ReadDataHandle(self, ax.MeasurementContainer, "InputMeasurements")
            self._in.initialize("measurements")
            self._out = ax.WriteDataHandle(self, ax.MeasurementSubset, "OutputMeasurementSubset")
            self._out.initialize("measurement_subset")

        def execute(self, context):
            container = self._in(context.eventStore)
            self._out(context, ax.MeasurementSubset(container, list(range(len(container)))))
            return ax.ProcessCode.SUCCESS

    class CandidateExpander(ax.IAlgorithm):
        """One proto track per first-pass fit that has perigee parameters (the tracks
        ``TracksToParameters`` converts, in its order): all hits of the fit's candidate,
        for every fit (``refit_variants: all``) or only for the best fit of each candidate
        (``best``: most measurements, then smallest chi2/ndf; empty protos for the others,
        which the fitter skips, so the second pass fits each candidate once)."""

        def __init__(self, records: dict, refit_all: bool):
            ax.IAlgorithm.__init__(self, "CandidateExpander", acts.logging.WARNING)
            self._in = ax.ReadDataHandle(self, ax.ConstTrackContainer, "InputTracks")
            self._in.initialize("seed_fit_tracks")
            self._out = ax.WriteDataHandle(self, ax.ProtoTrackContainer, "OutputProtoTracks")
            self._out.initialize("full_candidates")
            self._records = records
            self._refit_all = refit_all

        def execute(self, context):
            candidates = self._records[context.eventNumber]["candidates"]
            tracks = read_tracks(self._in(context.eventStore), candidates.owner, converted_only=True)
            best = {}
            for i, track in enumerate(tracks):
                rank = (len(track.measurements), -track.chi2 / max(track.ndf, 1))
                if track.candidate >= 0 and rank > best.get(track.candidate, ((-1, 0), -1))[0]:
                    best[track.candidate] = (rank, i)
            if self._refit_all:
                chosen = {i: t.candidate for i, t in enumerate(tracks) if t.candidate >= 0}
            else:
                chosen = {i: c for c, (_, i) in best.items()}
            protos = ax.ProtoTrackContainer()
            for i in range(len(tracks)):
                proto = ax.ProtoTrack()  # empty: the fitter skips it
                if i in chosen:
                    proto.extend(candidates.measurements[chosen[i]])
                protos.append(proto)
            self._out(context, protos)
            return ax.ProcessCode.SUCCESS

    class Collector(ax.IAlgorithm):
        """Seeded candidates, fitted tracks and the final (resolved) tracks of the event."""

        def __init__(self, fitted: str, final: str, records: dict):
            ax.IAlgorithm.__init__(self, "FittedTrackCollector", acts.logging.WARNING)
            self._seeded = ax.ReadDataHandle(self, ax.ProtoTrackContainer, "InputSeededProtoTracks")
            self._seeded.initialize("seeded_candidates")
            self._fitted = ax.ReadDataHandle(self, ax.ConstTrackContainer, "InputFittedTracks")
            self._fitted.initialize(fitted)
            self._final = None
            if final != fitted:
                self._final = ax.ReadDataHandle(self, ax.ConstTrackContainer, "InputFinalTracks")
                self._final.initialize(final)
            self._records = records

        def execute(self, context):
            record = self._records[context.eventNumber]
            owner = record["candidates"].owner
            seeded = {int(owner[proto[0]]) for proto in self._seeded(context.eventStore) if len(proto)}
            record["seeded"] = seeded
            record["fitted"] = read_tracks(self._fitted(context.eventStore), owner)
            if self._final is None:
                record["final"] = record["fitted"]
            else:
                # the resolution's output tracks carry no usable parameters in pyacts 48.1: take
                # each survivor from the fitted list (same measurements, same order)
                by_hits = {tuple(t.measurements): t for t in record["fitted"]}
                record["final"] = [
                    by_hits.get(tuple(t.measurements), t) for t in read_tracks(self._final(context.eventStore), owner)
                ]
            record["acts_s"] = time.perf_counter() - record["start"]
            record["acts_cpu_s"] = time.process_time() - record["cpu_start"]
            return ax.ProcessCode.SUCCESS

    return CandidateFeeder, SubsetMaker, CandidateExpander, Collector


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
    feeder_cls, subset_cls, expander_cls, collector_cls = _python_elements()
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
        seq.run()
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
