"""ACTS CSV tables of one event -> TrackML hits, cells, particles and truth frames.

A TrackML hit is one ACTS measurement (a cluster). Its truth is the first sim hit that
made it; ``order`` (the sim-hit index along the particle) is carried for the score
weights and dropped before writing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trackgnn.simulation.acts_run import ActsOutput
from trackgnn.simulation.geometry import split_geometry_id

BARCODE = ["pv", "sv", "part", "gen", "sub"]
_GEN_SHIFT, _SEC_SHIFT = 24, 12


def particle_table(primaries: pd.DataFrame, acts_particles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(TrackML particles without nhits, barcode -> particle_id lookup).

    ``primaries`` are the rows fed to ACTS (row i = barcode particle i + 1). Fatras
    secondaries get their root primary's TrackML id plus (generation, sub-particle) in the
    generation/secondary bit fields; a clash with an existing id moves to the process field.
    """
    ap = acts_particles.rename(
        columns={
            "particle_id_pv": "pv",
            "particle_id_sv": "sv",
            "particle_id_part": "part",
            "particle_id_gen": "gen",
            "particle_id_subpart": "sub",
        }
    )
    root = primaries["particle_id"].to_numpy(np.int64)[ap["part"].to_numpy(np.int64) - 1]
    is_primary = ((ap["gen"] == 0) & (ap["sub"] == 0) & (ap["sv"] == 0)).to_numpy()
    tid = root.copy()
    sec = ~is_primary
    tid[sec] = (
        root[sec]
        + (ap["gen"].to_numpy(np.int64)[sec] << _GEN_SHIFT)
        + ((ap["sub"].to_numpy(np.int64)[sec] + (ap["sv"].to_numpy(np.int64)[sec] << 6)) << _SEC_SHIFT)
    )
    taken = set(primaries["particle_id"].tolist())
    for i in np.flatnonzero(sec):
        candidate = int(tid[i])
        while candidate in taken:
            candidate += 1
        taken.add(candidate)
        tid[i] = candidate
    lookup = ap[BARCODE].copy()
    lookup["particle_id"] = tid
    secondaries = pd.DataFrame(
        {
            "particle_id": tid[sec],
            **{c: ap[c].to_numpy(np.float64)[sec] for c in ("vx", "vy", "vz", "px", "py", "pz")},
            "q": np.rint(ap["q"].to_numpy(np.float64)[sec]).astype(np.int64),
        }
    )
    prim = primaries[["particle_id", "vx", "vy", "vz", "px", "py", "pz", "q"]]
    return pd.concat([prim, secondaries], ignore_index=True), lookup


def signal_hits(
    out: ActsOutput, lookup: pd.DataFrame, detectors: pd.DataFrame, smeared: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(hits with truth columns and ``order``, cells keyed by ``measurement_id``)."""
    meas = out.measurements
    first = out.measurement_simhits.groupby("measurement_id", sort=True)["hit_id"].min()
    sim = out.simhits.iloc[first.reindex(meas["measurement_id"]).to_numpy()].reset_index(drop=True)
    sim = sim.rename(
        columns={
            "particle_id_pv": "pv",
            "particle_id_sv": "sv",
            "particle_id_part": "part",
            "particle_id_gen": "gen",
            "particle_id_subpart": "sub",
        }
    )
    pid = sim[BARCODE].merge(lookup, on=BARCODE, how="left")["particle_id"]
    if pid.isna().any():
        raise RuntimeError("ACTS sim hit from a particle missing in the simulated particles table")
    volume, layer, module = split_geometry_id(meas["geometry_id"].to_numpy(np.uint64))
    hits = pd.DataFrame(
        {
            "measurement_id": meas["measurement_id"].to_numpy(),
            "x": meas["global_x"].to_numpy(),
            "y": meas["global_y"].to_numpy(),
            "z": meas["global_z"].to_numpy(),
            "volume_id": volume,
            "layer_id": layer,
            "module_id": module,
            "particle_id": pid.to_numpy(np.int64),
            "tx": sim["tx"].to_numpy(),
            "ty": sim["ty"].to_numpy(),
            "tz": sim["tz"].to_numpy(),
            "tpx": sim["tpx"].to_numpy(),
            "tpy": sim["tpy"].to_numpy(),
            "tpz": sim["tpz"].to_numpy(),
            "order": sim["index"].to_numpy(),
        }
    )
    if not smeared:
        cells = out.cells.rename(columns={"channel0": "ch0", "channel1": "ch1"})[
            ["measurement_id", "ch0", "ch1", "value"]
        ]
        return hits, cells
    # smearing gives no cells: one synthetic cell at the smeared local position
    mod = detectors.set_index(["volume_id", "layer_id", "module_id"]).loc[list(zip(volume, layer, module))]
    ch0 = np.floor((meas["local0"].to_numpy() + mod["module_maxhu"].to_numpy()) / mod["pitch_u"].to_numpy())
    ch1 = np.floor((meas["local1"].to_numpy() + mod["module_hv"].to_numpy()) / mod["pitch_v"].to_numpy())
    cells = pd.DataFrame(
        {
            "measurement_id": meas["measurement_id"].to_numpy(),
            "ch0": ch0.astype(np.int64),
            "ch1": ch1.astype(np.int64),
            "value": mod["module_t"].to_numpy(),
        }
    )
    return hits, cells
