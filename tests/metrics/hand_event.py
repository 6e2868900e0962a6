"""A hand-built event whose metric values can be worked out on paper.

Particles (all pT = 2 GeV, eta = 0, vertex at the origin):
  1: 10 hits, 2: 6 hits, 3: 6 hits; plus 6 noise hits (particle_id 0).
Hit ids: particle 1 -> 1..10, particle 2 -> 11..16, particle 3 -> 17..22, noise -> 23..28.
Hits of a particle sit at increasing radius so that the hit order along the track is the
hit-id order.
"""

from __future__ import annotations

import pandas as pd

from trackgnn.metrics import truth_weights

P1 = list(range(1, 11))
P2 = list(range(11, 17))
P3 = list(range(17, 23))
NOISE = list(range(23, 29))


def hand_event() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for pid, hits in ((1, P1), (2, P2), (3, P3), (0, NOISE)):
        for k, hit in enumerate(hits):
            rows.append((hit, pid, 30.0 * (k + 1), 0.0, 0.0))
    truth = pd.DataFrame(rows, columns=["hit_id", "particle_id", "tx", "ty", "tz"])
    for column in ("tpx", "tpy", "tpz"):
        truth[column] = 0.0
    particles = pd.DataFrame(
        {
            "particle_id": [1, 2, 3],
            "vx": 0.0,
            "vy": 0.0,
            "vz": 0.0,
            "px": [2.0, 0.0, 2.0],
            "py": [0.0, 2.0, 0.0],
            "pz": 0.0,
            "q": 1,
            "nhits": [10, 6, 6],
        }
    )
    truth["weight"] = truth_weights(truth, particles)
    return truth, particles


def tracks_from(groups: list[list[int]]) -> pd.DataFrame:
    """``hit_id, track_id`` with track k holding ``groups[k]``."""
    rows = [(hit, k) for k, group in enumerate(groups) for hit in group]
    return pd.DataFrame(rows, columns=["hit_id", "track_id"])
