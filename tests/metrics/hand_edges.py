"""A hand-built event for the edge-level metrics: two particles of three hits each."""

import numpy as np


def hand_event():
    # two particles of 3 hits: pT 0.7 and 4 GeV; hits at radii 30 / 70 / 300 mm
    arrays = {
        "r": np.array([30.0, 70.0, 300.0, 30.0, 70.0, 300.0]),
        "pt": np.array([0.7, 0.7, 0.7, 4.0, 4.0, 4.0]),
        "particle_eta": np.array([0.5, 0.5, 0.5, -2.5, -2.5, -2.5]),
    }
    rho = arrays["r"]  # z = 0
    truth = np.array([[0, 1, 3, 4], [1, 2, 4, 5]])
    kept = np.array([[2, 3], [1, 4]])  # 1-2 (stored outer -> inner) and 3-4 kept
    return arrays, truth, kept, rho
