"""The ``acts_ckf:`` block of the run config, validated into a dataclass.

Every key is optional; unknown keys and bad values raise ``ValueError`` naming the key.
Units: GeV and mm. The seeding defaults suit the TrackML pixel detector (barrel layers at
r = 32-172 mm, disks at |z| = 600-1500 mm) in a 2 T field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOG_LEVELS = ("VERBOSE", "DEBUG", "INFO", "WARNING", "ERROR", "FATAL")
RESOLUTIONS = ("pitch", "cluster")


@dataclass(frozen=True)
class ActsCkfConfig:
    """Settings of the ACTS seeding + CKF baseline.

    Attributes:
        seed_volumes: volumes whose hits become space points for seeding (TrackML pixels).
        seed_min_pt_gev: lowest seed transverse momentum.
        seed_impact_max_mm: largest transverse impact parameter of a seed.
        seed_delta_r_mm: [min, max] radial distance between space points of a seed.
        seed_r_max_mm: space points above this radius are not used for seeding.
        seed_r_middle_mm: [min, max] radius of the middle space point (ACTS's default
            60-120 mm misses forward tracks, whose disk hits sit at r = 30-60 mm).
        seed_z_range_mm: [min, max] z of space points used for seeding.
        seed_collision_region_mm: half-length in z of the luminous region seeds point to.
        seed_cot_theta_max: largest |cot theta| (27.3 is |eta| = 4).
        seed_max_per_middle: ``maxSeedsPerSpM`` of the seed filter (3 instead of ACTS's 1:
            +4% efficiency at mu = 200 for ~40% more CPU; no change at mu = 10).
        seed_sigma_scattering: multiple-scattering tolerance of the triplet cut (sigmas).
        seed_rad_length_per_seed: material (x/X0) assumed along a seed.
        ckf_chi2_cut: measurement chi2 cut of the CKF (per measurement).
        ckf_chi2_outlier: chi2 below which a rejected measurement is kept as an outlier.
        ckf_measurements_per_surface: branches the CKF opens per surface (``numMeasurementsCutOff``).
        min_measurements: shortest track kept (CKF track selector and ambiguity resolution).
        track_pt_min_gev: tracks below this transverse momentum are dropped (0 keeps all).
        ambiguity_resolution: run the greedy ambiguity resolution after the CKF.
        max_shared_hits: measurements a track may share with better tracks.
        resolution: measurement errors: ``pitch`` (pitch/sqrt(12) on both axes) or ``cluster``
            (cluster extent from the cells file times pitch/sqrt(12); pitch when no cells file).
        max_offsurface_mm: a hit further than this from the plane of its module is an input error.
        threads: ACTS worker threads (events in parallel).
        acts_log_level: log level of the ACTS algorithms.
    """

    seed_volumes: tuple = (7, 8, 9)
    seed_min_pt_gev: float = 0.5
    seed_impact_max_mm: float = 3.0
    seed_delta_r_mm: tuple = (1.0, 150.0)
    seed_r_max_mm: float = 200.0
    seed_r_middle_mm: tuple = (25.0, 165.0)
    seed_z_range_mm: tuple = (-2000.0, 2000.0)
    seed_collision_region_mm: float = 250.0
    seed_cot_theta_max: float = 27.29
    seed_max_per_middle: int = 3
    seed_sigma_scattering: float = 5.0
    seed_rad_length_per_seed: float = 0.1
    ckf_chi2_cut: float = 15.0
    ckf_chi2_outlier: float = 25.0
    ckf_measurements_per_surface: int = 10
    min_measurements: int = 7
    track_pt_min_gev: float = 0.0
    ambiguity_resolution: bool = True
    max_shared_hits: int = 3
    resolution: str = "pitch"
    max_offsurface_mm: float = 1.0
    threads: int = 1
    acts_log_level: str = "WARNING"

    @classmethod
    def from_dict(cls, cfg: Mapping[str, Any] | None) -> ActsCkfConfig:
        """Validate an ``acts_ckf:`` mapping (``None`` or ``{}`` gives the defaults)."""
        cfg = dict(cfg or {})
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(cfg) - set(names))
        if unknown:
            raise ValueError(f"acts_ckf: unknown key(s) {unknown}; expected some of {sorted(names)}")
        return cls(**{name: _check(name, cfg[name]) for name in names if name in cfg})


_INTS = {
    "seed_max_per_middle": 1,
    "ckf_measurements_per_surface": 1,
    "min_measurements": 3,
    "max_shared_hits": 0,
    "threads": 1,
}
_PAIRS = ("seed_delta_r_mm", "seed_r_middle_mm", "seed_z_range_mm")
_NON_NEGATIVE = {"track_pt_min_gev", "seed_rad_length_per_seed"}


def _check(name: str, value: Any) -> Any:
    where = f"acts_ckf.{name}"
    if name == "ambiguity_resolution":
        if not isinstance(value, bool):
            raise ValueError(f"{where}: got {value!r}; expected true or false")
        return value
    if name == "resolution":
        if value not in RESOLUTIONS:
            raise ValueError(f"{where}: got {value!r}; expected one of {list(RESOLUTIONS)}")
        return value
    if name == "acts_log_level":
        if not isinstance(value, str) or value.upper() not in LOG_LEVELS:
            raise ValueError(f"{where}: got {value!r}; expected one of {list(LOG_LEVELS)}")
        return value.upper()
    if name == "seed_volumes":
        if not isinstance(value, (list, tuple)) or not value or not all(_is_int(v) and v > 0 for v in value):
            raise ValueError(f"{where}: got {value!r}; expected a non-empty list of volume ids")
        return tuple(int(v) for v in value)
    if name in _PAIRS:
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ValueError(f"{where}: got {value!r}; expected [min, max]")
        low, high = (_number(f"{where}[{i}]", v) for i, v in enumerate(value))
        if not low < high:
            raise ValueError(f"{where}: got {value!r}; expected min < max")
        return (low, high)
    if name in _INTS:
        if not _is_int(value) or value < _INTS[name]:
            raise ValueError(f"{where}: got {value!r}; expected an integer >= {_INTS[name]}")
        return int(value)
    number = _number(where, value)
    if name in _NON_NEGATIVE:
        if number < 0:
            raise ValueError(f"{where}: got {value!r}; expected a number >= 0")
    elif number <= 0:
        raise ValueError(f"{where}: got {value!r}; expected a number > 0")
    return number


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        raise ValueError(f"{where}: got {value!r}; expected a finite number")
    return float(value)


def load_baseline_config(path: str | Path) -> tuple[ActsCkfConfig, float]:
    """(``acts_ckf`` settings, magnetic field in tesla) of a run config file.

    The file is validated (and defaulted) against the workflow schema, then the
    ``acts_ckf`` block is checked once more by :class:`ActsCkfConfig`.
    """
    from trackgnn.config import ConfigError, load_config

    config = load_config(path)
    try:
        settings = ActsCkfConfig.from_dict(config["acts_ckf"])
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return settings, float(config["simulation"]["bfield_t"])
