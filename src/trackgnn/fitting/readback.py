"""ACTS track containers -> plain Python records (:class:`FittedTrack`).

Read inside the sequence (the containers live only while their event runs). pyacts 48.1
notes: the bound parameter vector of a track proxy must be copied at once (iterating it
lazily reads freed memory), and ``trackStatesReversed`` is used because the fitted tracks'
stem index is not always set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class FittedTrack:
    """One track read back from ACTS.

    Attributes:
        measurements: measurement indices the fit kept (outliers and holes excluded).
        candidate: index of the candidate most of them come from (-1: none).
        parameters: perigee (d0, z0, phi, theta, q/p, t) in mm, rad, 1/GeV, mm.
    """

    measurements: list[int]
    candidate: int
    parameters: tuple
    chi2: float
    ndf: int
    n_holes: int
    n_outliers: int


def read_tracks(container, owner: np.ndarray, converted_only: bool = False) -> list[FittedTrack]:
    """The tracks of a container (``converted_only``: those with a reference surface).

    The per-track numbers come from the container's columns in one call each; only the
    measurement indices need a walk over each track's states.
    """
    import acts
    import acts.examples as ax

    u = acts.UnitConstants
    from_link = ax.IndexSourceLink.fromSourceLink
    n = len(container)
    # copy at once: the columns view the container's memory (see the module note)
    chi2 = np.array(container.chi2, dtype=np.float64).tolist()
    ndf = np.array(container.ndf, dtype=np.int64).tolist()
    holes = np.array(container.nHoles, dtype=np.int64).tolist()
    outliers = np.array(container.nOutliers, dtype=np.int64).tolist()
    pars = np.array(container.parameters, dtype=np.float64).reshape(n, 6)
    pars = (pars / [u.mm, u.mm, 1.0, 1.0, 1.0 / u.GeV, u.mm]).tolist()
    out = []
    for i, track in enumerate(container):
        if converted_only and not track.hasReferenceSurface:
            continue
        idx = [
            from_link(state.uncalibratedSourceLink).index()
            for state in track.trackStatesReversed
            if state.typeFlags.isMeasurement and state.hasUncalibratedSourceLink
        ][::-1]
        owners = owner[idx] if idx else np.zeros(0, np.int64)
        owners = owners[owners >= 0]
        candidate = int(np.bincount(owners).argmax()) if owners.size else -1
        out.append(FittedTrack(idx, candidate, tuple(pars[i]), chi2[i], ndf[i], holes[i], outliers[i]))
    return out


def seed_fit_summaries(container, owner: np.ndarray) -> tuple[list[int], list[int], list[float], list[int]]:
    """(candidate, measurements, chi2, ndf) of each track with a reference surface, in order,
    reading one state per track instead of all (the Python walk over every state of the ~10^5
    seed-variant fits of a mu = 200 event cost more than their Kalman fits). For fits of one
    proto track each, whose measurements all belong to one candidate (the first-pass fits of
    :mod:`trackgnn.fitting.chain`: a hit is in one candidate only, since the tracks CSV
    reader refuses repeated hits), the candidate is the owner of any measurement; -1 for a
    track without measurements. Equal to :func:`read_tracks` with ``converted_only`` there.
    """
    import acts.examples as ax

    from_link = ax.IndexSourceLink.fromSourceLink
    n_meas = np.array(container.nMeasurements, dtype=np.int64).tolist()
    chi2 = np.array(container.chi2, dtype=np.float64).tolist()
    ndf = np.array(container.ndf, dtype=np.int64).tolist()
    cands, counts, chi2s, ndfs = [], [], [], []
    for i, track in enumerate(container):
        if not track.hasReferenceSurface:
            continue
        candidate = -1
        if n_meas[i]:
            for state in track.trackStatesReversed:
                if state.typeFlags.isMeasurement and state.hasUncalibratedSourceLink:
                    candidate = int(owner[from_link(state.uncalibratedSourceLink).index()])
                    break
        cands.append(candidate)
        counts.append(n_meas[i])
        chi2s.append(chi2[i])
        ndfs.append(ndf[i])
    return cands, counts, chi2s, ndfs
