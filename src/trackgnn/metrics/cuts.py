"""Which particles are targets of the efficiency, and which tracks are counted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class TargetCuts:
    """Target-particle selection for efficiency (and the track-length cut for rates).

    Attributes:
        pt_min: minimum transverse momentum in GeV (strict ``>``).
        eta_max: maximum absolute pseudorapidity (strict ``<``).
        min_hits: minimum number of hits a particle leaves in the event, and the
            minimum length of a reconstructed track counted in fake/duplicate rates.
        primary_only: keep only primaries (TrackML id generation field zero).
    """

    pt_min: float = 1.0
    eta_max: float = 4.0
    min_hits: int = 5
    primary_only: bool = False

    @classmethod
    def from_dict(cls, values: dict | None) -> TargetCuts:
        values = dict(values or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown target cut(s) {unknown}; expected some of {sorted(known)}")
        return cls(**values)

    def as_dict(self) -> dict:
        return asdict(self)

    def label(self) -> str:
        return f"pT>{self.pt_min:g}GeV,|eta|<{self.eta_max:g},nhits>={self.min_hits}"


def particle_kinematics(particles: pd.DataFrame) -> pd.DataFrame:
    """``particle_id, pt, eta`` of each particle (pt in GeV)."""
    px = particles["px"].to_numpy(np.float64)
    py = particles["py"].to_numpy(np.float64)
    pz = particles["pz"].to_numpy(np.float64)
    pt = np.hypot(px, py)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.arcsinh(np.where(pt > 0, pz / pt, np.sign(pz) * 1e9))
    return pd.DataFrame({"particle_id": particles["particle_id"].to_numpy(), "pt": pt, "eta": eta})


def is_primary(particle_id: np.ndarray) -> np.ndarray:
    """TrackML particle-id bit fields: generation (bits 24-35) zero means primary."""
    return ((np.asarray(particle_id, dtype=np.int64) >> 24) & 0xFFF) == 0


def target_mask(kin: pd.DataFrame, n_hits: np.ndarray, cuts: TargetCuts) -> np.ndarray:
    """Boolean mask over ``kin`` rows for the target particles."""
    mask = (kin["pt"].to_numpy() > cuts.pt_min) & (np.abs(kin["eta"].to_numpy()) < cuts.eta_max)
    mask &= np.asarray(n_hits) >= cuts.min_hits
    if cuts.primary_only:
        mask &= is_primary(kin["particle_id"].to_numpy())
    return mask
