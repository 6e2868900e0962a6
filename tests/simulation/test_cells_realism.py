"""The calibrated cell readout against the real TrackML cells (FACTS section 9), per volume.

One small default-config event (pile-up mu = 10, ~5k hits, a few seconds) is simulated and
its four cell statistics per volume (cells per hit, summed value per hit, extent along ch0
and ch1) are compared with :data:`trackgnn.diagnostics.reference.REAL_CELLS`. The defaults
were calibrated to within a few percent on nine such events (``bench/cells_realism.py``).
One event has only ~120 hits in each long-strip endcap (16, 18); the standard error of a
mean cluster size there is ~4%, so the tolerance is the 10% asked of the calibration, with
every statistic's ratio also printed on failure. The event is fixed (seed, id), so the test
is deterministic: it fails when a change moves any statistic out of the band.
"""

from __future__ import annotations

import pytest

pytest.importorskip("acts")

from trackgnn.diagnostics.cells import per_hit, summarise
from trackgnn.diagnostics.reference import CELL_STATS, REAL_CELLS, UNCALIBRATED_CELLS
from trackgnn.io.trackml import read_event
from trackgnn.simulation import simulate_events

TOLERANCE = 0.10


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    out = tmp_path_factory.mktemp("cells")
    simulate_events({}, out, [1000], seed=1, progress=False)
    event = read_event(out, 1000, require=("hits", "cells"))
    return summarise(per_hit(event.hits, event.cells), ["volume_id"])


def test_every_volume_matches_the_real_cells(simulated):
    ratios = {v: {s: simulated[str(v)][s] / ref[s] for s in CELL_STATS} for v, ref in REAL_CELLS.items()}
    off = {v: {s: round(r, 3) for s, r in row.items() if abs(r - 1) > TOLERANCE} for v, row in ratios.items()}
    assert not any(off.values()), f"simulated / real cell statistics outside {TOLERANCE:.0%}: {off}"


def test_strips_binary_and_calibration_beats_the_old_digitisation(simulated):
    for v in (12, 13, 14, 16, 17, 18):
        assert simulated[str(v)]["value_per_hit"] == pytest.approx(simulated[str(v)]["cells_per_hit"])
    for v, ref in REAL_CELLS.items():
        new = max(abs(simulated[str(v)][s] / ref[s] - 1) for s in CELL_STATS)
        old = max(abs(UNCALIBRATED_CELLS[v][s] / ref[s] - 1) for s in CELL_STATS)
        assert new < old, f"volume {v}: worst deviation {new:.3f}, uncalibrated {old:.3f}"
