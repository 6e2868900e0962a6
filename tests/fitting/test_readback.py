"""The fast readers of ACTS track containers agree with a track-by-track reading.

:func:`read_tracks` takes the per-track numbers from the container's columns and
:func:`seed_fit_summaries` reads one state per track; both are checked inside a real fit
(mu = 10 events, truth candidates with swapped hits, so some seed variants fail or carry
outliers) against the ACTS track proxies themselves.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.fitting.conftest import EVENTS, write_candidates

pytest.importorskip("acts")


def _proxy_reading(container, owner):
    """Per track with a reference surface: (candidate by majority of its measurements,
    measurement indices, chi2, ndf, holes, outliers, parameters), straight from the proxies."""
    import acts.examples as ax

    from_link = ax.IndexSourceLink.fromSourceLink
    out = []
    for track in container:
        if not track.hasReferenceSurface:
            continue
        idx = [
            from_link(s.uncalibratedSourceLink).index()
            for s in track.trackStatesReversed
            if s.typeFlags.isMeasurement and s.hasUncalibratedSourceLink
        ][::-1]
        owners = owner[idx] if idx else np.zeros(0, np.int64)
        owners = owners[owners >= 0]
        candidate = int(np.bincount(owners).argmax()) if owners.size else -1
        pars = [float(v) for v in list(track.parameters)]
        out.append((candidate, idx, float(track.chi2), int(track.nDoF), track.nHoles, track.nOutliers, pars))
    return out


def test_container_readers_match_the_track_proxies(sim_events, tmp_path, monkeypatch):
    import acts

    import trackgnn.fitting.chain as chain
    from trackgnn.fitting.mock import swap_neighbour_hits, truth_candidates
    from trackgnn.fitting.readback import read_tracks, seed_fit_summaries
    from trackgnn.fitting.run import run_fit_tracks
    from trackgnn.io import read_event

    u = acts.UnitConstants
    checked = []
    original = chain.python_elements

    def wrapped():
        feeder, subset, expander, collector = original()

        class CheckingExpander(expander):
            def execute(self, context):
                owner = self._records[context.eventNumber]["candidates"].owner
                container = self._in(context.eventStore)
                expected = _proxy_reading(container, owner)
                fast = read_tracks(container, owner, converted_only=True)
                candidates, counts, chi2, ndf = seed_fit_summaries(container, owner)
                assert candidates == [e[0] for e in expected]
                assert counts == [len(e[1]) for e in expected]
                assert (chi2, ndf) == ([e[2] for e in expected], [e[3] for e in expected])
                assert len(fast) == len(expected)
                for track, (cand, idx, chi2, ndf, holes, outliers, pars) in zip(fast, expected):
                    assert (track.candidate, track.measurements, track.chi2, track.ndf) == (cand, idx, chi2, ndf)
                    assert (track.n_holes, track.n_outliers) == (holes, outliers)
                    scale = [u.mm, u.mm, 1.0, 1.0, 1.0 / u.GeV, u.mm]
                    assert np.array_equal(np.asarray(track.parameters) * scale, pars, equal_nan=True)
                checked.append((len(expected), sum(1 for e in expected if e[5])))
                return super().execute(context)

        return feeder, subset, CheckingExpander, collector

    monkeypatch.setattr(chain, "python_elements", wrapped)
    frames = {}
    for e in EVENTS:
        event = read_event(sim_events, e, parts=("hits", "truth"), require=("hits", "truth"))
        frames[e], _ = swap_neighbour_hits(event.hits, truth_candidates(event.truth), 0.2, seed=e)
    write_candidates(tmp_path / "candidates.csv", frames)
    (tmp_path / "config.yaml").write_text("fitting: {seed_variants: 3, extend_ckf: false}\n")
    run_fit_tracks(tmp_path / "config.yaml", sim_events, tmp_path / "candidates.csv", tmp_path / "fitted.csv")
    assert len(checked) == len(EVENTS)
    assert all(n > 300 for n, _ in checked)  # ~3 seed fits per particle
    assert sum(n_outlier for _, n_outlier in checked) > 0  # the swaps leave outliers to read past
