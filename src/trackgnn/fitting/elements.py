"""The Python elements of the fitting chain (:mod:`trackgnn.fitting.chain`): the reader that
feeds measurements and candidates, the subset maker, the expander of seed variants and the
collector of fitted tracks. Defined lazily, since they subclass ACTS types."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from trackgnn.fitting.readback import read_tracks, seed_fit_summaries

if TYPE_CHECKING:
    from trackgnn.fitting.chain import Loader


def python_elements():
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
            owner = candidates.owner
            cands, counts, chi2, ndf = seed_fit_summaries(self._in(context.eventStore), owner)
            if self._refit_all:
                chosen = {i: c for i, c in enumerate(cands) if c >= 0}
            else:
                best = {}
                for i, (c, n, x, d) in enumerate(zip(cands, counts, chi2, ndf)):
                    rank = (n, -x / max(d, 1))
                    if c >= 0 and rank > best.get(c, ((-1, 0), -1))[0]:
                        best[c] = (rank, i)
                chosen = {i: c for c, (_, i) in best.items()}
            protos = ax.ProtoTrackContainer()
            empty = ax.ProtoTrack()  # the fitter skips empty proto tracks
            measurements = candidates.measurements
            for i in range(len(cands)):
                if i in chosen:
                    proto = ax.ProtoTrack()
                    proto.extend(measurements[chosen[i]])
                    protos.append(proto)
                else:
                    protos.append(empty)
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
