"""Tests of the cell readout model (charge deposition, diffusion, threshold, binary strips)
and of its configuration keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("acts")

from trackgnn.config import schema_defaults
from trackgnn.simulation.config import SimulationConfig
from trackgnn.simulation.geometry import detectors_table
from trackgnn.simulation.readout import ReadoutParams, deposit, local_segments, readout_cells

ROT = [f"rot_{a}{b}" for a in "xyz" for b in "uvw"]


def _simhits(module: pd.Series, uv: list[tuple[float, float]], slopes: list[tuple[float, float]]) -> pd.DataFrame:
    """Sim hits on ``module`` at local (u, v, 0) with local direction (a, b, 1)."""
    rot = module[ROT].to_numpy(float).reshape(3, 3)
    centre = module[["cx", "cy", "cz"]].to_numpy(float)
    gid = (int(module.volume_id) << 56) | (int(module.layer_id) << 36) | (int(module.module_id) << 8)
    pos = np.array([rot @ np.array([u, v, 0.0]) + centre for u, v in uv])
    mom = np.array([rot @ np.array([a, b, 1.0]) for a, b in slopes])
    return pd.DataFrame(
        {
            "geometry_id": np.uint64(gid),
            "tx": pos[:, 0],
            "ty": pos[:, 1],
            "tz": pos[:, 2],
            "tpx": mom[:, 0],
            "tpy": mom[:, 1],
            "tpz": mom[:, 2],
        }
    )


@pytest.fixture(scope="module")
def pixel_module():
    table = detectors_table()
    return table[(table.volume_id == 8) & (table.layer_id == 4)].iloc[0]


def test_local_segments_recover_position_and_slopes(pixel_module):
    seg = local_segments(
        _simhits(pixel_module, [(1.0, -2.0), (0.3, 4.0)], [(0.2, -1.5), (0.0, 0.0)]), detectors_table()
    )
    assert seg["u"].tolist() == pytest.approx([1.0, 0.3], abs=1e-6)
    assert seg["v"].tolist() == pytest.approx([-2.0, 4.0], abs=1e-6)
    assert seg["slope_u"].tolist() == pytest.approx([0.2, 0.0], abs=1e-6) and seg["slope_v"].tolist() == pytest.approx(
        [-1.5, 0.0], abs=1e-6
    )
    assert (seg["volume"] == 8).all() and seg["thickness"].iloc[0] == pytest.approx(0.15)


def test_deposit_conserves_charge_and_diffusion_widens(pixel_module):
    seg = local_segments(_simhits(pixel_module, [(0.026, 0.01)], [(0.3, 2.0)]), detectors_table())
    path = 0.15 * np.sqrt(1 + 0.3**2 + 2.0**2)
    sizes = []
    for sigma in (0.0, 0.01, 0.03):
        cells = deposit(seg, np.array([7]), sigma, sigma, np.ones(1))
        assert cells["charge"].sum() == pytest.approx(path, rel=1e-3)
        sizes.append(len(cells))
    assert sizes[0] < sizes[1] < sizes[2]
    straight = deposit(
        local_segments(_simhits(pixel_module, [(0.026, 0.01)], [(0.0, 0.0)]), detectors_table()),
        np.array([1]),
        0.0,
        0.0,
        np.ones(1),
    )
    assert len(straight) == 1 and straight["charge"].iloc[0] == pytest.approx(0.15)


def test_threshold_binary_and_one_cell_kept(pixel_module):
    table = detectors_table()
    strip = table[(table.volume_id == 13) & (table.layer_id == 2)].iloc[0]
    hits = pd.concat(
        [_simhits(pixel_module, [(0.0, 0.0)], [(0.5, 3.0)]), _simhits(strip, [(0.0, 0.0)], [(0.8, 0.0)])],
        ignore_index=True,
    )
    pairs = pd.DataFrame({"measurement_id": [0, 1], "hit_id": [0, 1]})
    rng = np.random.default_rng(0)
    loose = ReadoutParams(
        diffusion_u={8: 0.005, 13: 0.01}, diffusion_v={8: 0.005, 13: 0.01}, scale={8: 2.0}, binary=frozenset({13})
    )
    cells = readout_cells(hits, pairs, table, loose, rng)
    pix, strips = cells[cells.measurement_id == 0], cells[cells.measurement_id == 1]
    assert (strips["value"] == 1.0).all() and len(strips) >= 2
    total = 2.0 * 0.15 * np.sqrt(1 + 0.5**2 + 3.0**2)
    assert pix["value"].sum() == pytest.approx(total, rel=1e-3)
    strict = ReadoutParams(
        diffusion_u=loose.diffusion_u,
        diffusion_v=loose.diffusion_v,
        threshold={8: 0.02, 13: 10.0},
        scale=loose.scale,
        binary=loose.binary,
    )
    cut = readout_cells(hits, pairs, table, strict, rng)
    assert (cut[cut.measurement_id == 0]["value"] >= 2.0 * 0.02).all() and len(cut[cut.measurement_id == 0]) < len(pix)
    assert len(cut[cut.measurement_id == 1]) == 1  # above every cell's charge: the largest is kept


def test_readout_config_keys():
    cfg = SimulationConfig.from_dict(
        {"cell_threshold_mm": {8: 0.01}, "cell_charge_scale": 1.5, "binary_readout_volumes": [17, 16]}
    )
    assert cfg.per_volume("cell_threshold_mm")[8] == 0.01
    defaults = schema_defaults("simulation")
    assert cfg.per_volume("cell_threshold_mm")[7] == defaults["cell_threshold_mm"][7]  # unlisted keep the default
    assert set(cfg.per_volume("cell_charge_scale").values()) == {1.5}
    assert cfg.binary_readout_volumes == [16, 17]
    assert SimulationConfig.from_dict({}).binary_readout_volumes == defaults["binary_readout_volumes"]
    for bad, match in (
        ({"cell_threshold_mm": {5: 0.1}}, "cell_threshold_mm: key 5"),
        ({"cell_diffusion_u_mm": -1}, "cell_diffusion_u_mm"),
        ({"binary_readout_volumes": [12, 99]}, "binary_readout_volumes"),
        ({"binary_readout_volumes": 12}, "expected a list"),
    ):
        with pytest.raises(ValueError, match=match):
            SimulationConfig.from_dict(bad)


def test_hit_on_the_module_edge_keeps_one_cell(pixel_module):
    edge_u = float(pixel_module.module_maxhu) + 1e-4  # just off the grid: no deposit lands on it
    hits = _simhits(pixel_module, [(edge_u, 0.0), (0.0, 0.0)], [(0.0, 0.0), (0.0, 0.0)])
    pairs = pd.DataFrame({"measurement_id": [3, 4], "hit_id": [0, 1]})
    cells = readout_cells(hits, pairs, detectors_table(), ReadoutParams(scale={8: 2.0}), np.random.default_rng(0))
    assert cells.groupby("measurement_id").size().to_dict() == {3: 1, 4: 1}
    bins_u = round(2 * float(pixel_module.module_maxhu) / float(pixel_module.pitch_u))
    assert cells.set_index("measurement_id").loc[3, "ch0"] == bins_u - 1
    assert cells["value"].tolist() == pytest.approx([2.0 * 0.15, 2.0 * 0.15])
