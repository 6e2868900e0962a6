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
    """The tracks of a container (``converted_only``: those with a reference surface)."""
    import acts
    import acts.examples as ax

    u = acts.UnitConstants
    from_link = ax.IndexSourceLink.fromSourceLink
    out = []
    for track in container:
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
        # copy at once: iterating the bound vector lazily reads freed memory in pyacts 48.1
        d0, z0, phi, theta, qop, t = (float(v) for v in list(track.parameters))
        out.append(
            FittedTrack(
                measurements=idx,
                candidate=candidate,
                parameters=(d0 / u.mm, z0 / u.mm, phi, theta, qop * u.GeV, t / u.mm),
                chi2=float(track.chi2),
                ndf=int(track.nDoF),
                n_holes=int(track.nHoles),
                n_outliers=int(track.nOutliers),
            )
        )
    return out
