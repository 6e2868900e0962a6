"""Reference cell statistics of one real TrackML event, per volume.

Source: FACTS section 9 ("Real TrackML cells vs our simulation's digitisation"), measured on a
real truth-labelled TrackML event with cells. No real cells files are available here, so this
table is the only reference for calibrating the simulation's digitisation (``bench/cells_realism.py``,
``tests/simulation/test_cells_realism.py``).
"""

from __future__ import annotations

#: The four per-volume statistics, in the order of the FACTS table.
CELL_STATS = ("cells_per_hit", "value_per_hit", "extent_ch0", "extent_ch1")

#: volume -> {statistic: mean per hit} of the real event (FACTS section 9).
REAL_CELLS = {
    7: (1.77, 0.305, 1.13, 1.64),
    8: (7.02, 0.355, 1.85, 6.17),
    9: (1.69, 0.306, 1.12, 1.57),
    12: (1.86, 1.86, 1.75, 1.11),
    13: (2.56, 2.56, 2.31, 1.25),
    14: (1.74, 1.74, 1.64, 1.10),
    16: (2.97, 2.97, 2.94, 1.02),
    17: (2.74, 2.74, 2.72, 1.02),
    18: (2.91, 2.91, 2.88, 1.03),
}
REAL_CELLS = {v: dict(zip(CELL_STATS, row)) for v, row in REAL_CELLS.items()}

#: The default simulation before the readout calibration (FACTS section 9, "simulated" column).
UNCALIBRATED_CELLS = {
    7: (1.26, 0.150, 1.02, 1.24),
    8: (7.51, 0.401, 1.43, 7.07),
    9: (1.26, 0.149, 1.02, 1.23),
    12: (1.31, 0.25, 1.28, 1.04),
    13: (2.13, 0.38, 1.94, 1.19),
    14: (1.29, 0.25, 1.25, 1.04),
    16: (1.67, 0.36, 1.66, 1.01),
    17: (2.07, 0.36, 2.06, 1.01),
    18: (1.58, 0.34, 1.57, 1.01),
}
UNCALIBRATED_CELLS = {v: dict(zip(CELL_STATS, row)) for v, row in UNCALIBRATED_CELLS.items()}
