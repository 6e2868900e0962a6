"""A small, consistent TrackML event and a way to edit its files, for the reader tests."""

from pathlib import Path

import pandas as pd


def small_event():
    hits = pd.DataFrame(
        {
            "hit_id": [1, 2, 3],
            "x": [30.0, 70.0, 115.0],
            "y": [1.0, 2.0, 3.0],
            "z": [0.5, 1.0, 1.5],
            "volume_id": 8,
            "layer_id": [2, 4, 6],
            "module_id": [1, 1, 1],
        }
    )
    cells = pd.DataFrame(
        {"hit_id": [1, 1, 2, 3], "ch0": [10, 11, 5, 7], "ch1": [3, 3, 9, 2], "value": [0.1, 0.2, 0.3, 0.4]}
    )
    particles = pd.DataFrame(
        {
            "particle_id": [4503599644147712],
            "vx": [0.0],
            "vy": [0.0],
            "vz": [0.0],
            "px": [1.0],
            "py": [0.1],
            "pz": [0.05],
            "q": [1],
            "nhits": [2],
        }
    )
    truth = pd.DataFrame(
        {
            "hit_id": [1, 2, 3],
            "particle_id": [4503599644147712, 4503599644147712, 0],
            "tx": [30.0, 70.0, 115.0],
            "ty": [1.0, 2.0, 3.0],
            "tz": [0.5, 1.0, 1.5],
            "tpx": 1.0,
            "tpy": 0.1,
            "tpz": 0.05,
            "weight": [0.5, 0.5, 0.0],
        }
    )
    return hits, cells, particles, truth


def rewrite(path: Path, edit):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False)
