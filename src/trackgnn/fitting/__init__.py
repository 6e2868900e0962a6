"""Kalman fit of GNN track candidates with ACTS (``trackgnn fit-tracks``).

Each candidate (hits sharing a ``track_id``) becomes an ACTS proto track, gets starting
parameters from three of its space points, is fitted by the Kalman filter, optionally
extended by the CKF, passes ACTS's greedy ambiguity resolution and the quality cuts of the
``fitting`` config section. Modules: :mod:`.config` (settings), :mod:`.candidates` (CSV
groups -> proto tracks), :mod:`.chain` (the ACTS sequence), :mod:`.readback` (ACTS tracks ->
records), :mod:`.select` (drop rule and outputs), :mod:`.run` (driver), :mod:`.mock`
(truth-built candidates with GNN-like errors, for tests and ``bench/fit_tracks.py``).
"""

from trackgnn.fitting.config import FittingConfig, load_fitting_config

__all__ = ["FittingConfig", "load_fitting_config"]
