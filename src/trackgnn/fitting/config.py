"""The ``fitting:`` block of the run config (Kalman fit of GNN track candidates), validated.

Every key is optional: a missing key takes the default of the schema
(``src/trackgnn/schemas/config.schema.yaml``, section ``fitting``), the only place defaults
are written; the dataclass has none. Unknown keys and bad values raise ``ValueError`` naming
the key; the schema states the same ranges, so a config validated there passes here, and
this class also guards direct Python use. Units: GeV and mm.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trackgnn.config import ConfigError, load_config, schema_defaults

LOG_LEVELS = ("VERBOSE", "DEBUG", "INFO", "WARNING", "ERROR", "FATAL")
RESOLUTIONS = ("pitch", "cluster")
#: how ACTS picks the three space points of a candidate that give its starting parameters
SEED_SELECTIONS = ("FirstThree", "InnermostTriplet", "SpreadTriplet")
REFITS = ("all", "best")


@dataclass(frozen=True)
class FittingConfig:
    """Settings of ``trackgnn fit-tracks``.

    Attributes:
        min_hits: fewest measurements a fitted track keeps (candidates with fewer hits are
            not fitted; fitted tracks with fewer measurements are dropped).
        chi2_ndf_max: fitted tracks with a larger chi2 per degree of freedom are dropped.
        max_holes: fitted tracks with more holes (crossed sensitive modules without a
            measurement) are dropped.
        outlier_chi2_cut: a measurement whose chi2 contribution exceeds this is flagged an
            outlier by the Kalman filter and its hit leaves the track (a huge value keeps all).
        pt_min_gev: fitted tracks below this transverse momentum are dropped (0 keeps all).
        seed_space_points: which three space points of a candidate (ordered by distance
            from the origin) give its starting parameters.
        seed_variants: starting layer triplets tried per candidate (layers numbered by radius:
            (0,1,2), (1,2,3), (0,2,3), (0,1,3), (2,3,4), ...); the best fit (most measurements,
            then the smallest chi2/ndf) is kept, so wrong inner hits do not spoil the candidate.
            On truth candidates with 10% of hits swapped (mu = 10, CKF extension on), 1 / 5 / 10
            variants kept 73% / 94% / 97.5% of the pT > 1 GeV targets.
        refit_variants: which first-pass fits are refitted with all the candidate's hits (and
            extended): ``best`` (the one with the most measurements, then the smallest
            chi2/ndf) or ``all`` (every seed variant's: twice the time, +1 point of TrackML
            score and +0.4% efficiency in the measurement above).
        seed_min_transverse_distance_mm: space points of the starting triplet at least this
            far apart in r.
        multiple_scattering: the fit accounts for multiple scattering in the material.
        energy_loss: the fit accounts for energy loss in the material.
        extend_ckf: rerun the combinatorial Kalman filter from each fitted track's
            parameters to pick up hits the candidate missed (``ckf_*`` keys). On by default:
            on truth candidates with 10% of hits swapped it raised the TrackML score after the
            fit from 0.875 to 0.955 (mu = 10; efficiency 0.971 -> 0.975) and from 0.866 to
            0.911 (mu = 200; efficiency 0.977 -> 0.963), for 10-20% more fit time.
        ckf_chi2_cut: measurement chi2 cut of the extension CKF.
        ckf_measurements_per_surface: branches the extension CKF opens per surface.
        ambiguity_resolution: resolve hits shared by fitted tracks with ACTS's greedy
            ambiguity resolution (the fits of one candidate's seed variants share all hits;
            other tracks share hits only after the extension).
        max_shared_hits: measurements a track may share with better tracks.
        resolution: measurement errors as in ``acts_ckf.resolution``.
        max_offsurface_mm: a hit further than this from its module plane is an input error.
        acts_log_level: log level of the ACTS algorithms.
    """

    min_hits: int
    chi2_ndf_max: float
    max_holes: int
    outlier_chi2_cut: float
    pt_min_gev: float
    seed_space_points: str
    seed_variants: int
    refit_variants: str
    seed_min_transverse_distance_mm: float
    multiple_scattering: bool
    energy_loss: bool
    extend_ckf: bool
    ckf_chi2_cut: float
    ckf_measurements_per_surface: int
    ambiguity_resolution: bool
    max_shared_hits: int
    resolution: str
    max_offsurface_mm: float
    acts_log_level: str

    @classmethod
    def from_dict(cls, cfg: Mapping[str, Any] | None) -> FittingConfig:
        """Validate a ``fitting:`` mapping; missing keys (all of them for ``None`` or ``{}``)
        take the schema's defaults.

        Raises:
            ValueError: an unknown key, or a value of the wrong type or out of range.
        """
        cfg = dict(cfg or {})
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(cfg) - set(names))
        if unknown:
            raise ValueError(f"fitting: unknown key(s) {unknown}; expected some of {sorted(names)}")
        values = {**schema_defaults("fitting"), **cfg}
        return cls(**{name: _check(name, values[name]) for name in names})

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


_BOOLS = {"multiple_scattering", "energy_loss", "extend_ckf", "ambiguity_resolution"}
_INTS = {"min_hits": 3, "seed_variants": 1, "max_holes": 0, "ckf_measurements_per_surface": 1, "max_shared_hits": 0}
_CHOICES = {"seed_space_points": SEED_SELECTIONS, "refit_variants": REFITS, "resolution": RESOLUTIONS}
_NON_NEGATIVE = {"pt_min_gev", "seed_min_transverse_distance_mm"}


def _check(name: str, value: Any) -> Any:
    where = f"fitting.{name}"
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise ValueError(f"{where}: got {value!r}; expected true or false")
        return value
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise ValueError(f"{where}: got {value!r}; expected one of {list(_CHOICES[name])}")
        return value
    if name == "acts_log_level":
        if not isinstance(value, str) or value.upper() not in LOG_LEVELS:
            raise ValueError(f"{where}: got {value!r}; expected one of {list(LOG_LEVELS)}")
        return value.upper()
    if name in _INTS:
        if isinstance(value, bool) or not isinstance(value, int) or value < _INTS[name]:
            raise ValueError(f"{where}: got {value!r}; expected an integer >= {_INTS[name]}")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{where}: got {value!r}; expected a number")
    if math.isinf(value):  # run configs refuse non-finite numbers anywhere (config_checks)
        raise ValueError(f"{where}: got {value!r}; expected a finite number")
    if name in _NON_NEGATIVE:
        if value < 0:
            raise ValueError(f"{where}: got {value!r}; expected a number >= 0")
    elif value <= 0:
        raise ValueError(f"{where}: got {value!r}; expected a number > 0")
    return float(value)


def load_fitting_config(path: str | Path) -> tuple[FittingConfig, float]:
    """(``fitting`` settings, magnetic field in tesla) of a run config file, validated
    against the workflow schema first."""
    config = load_config(path)
    try:
        settings = FittingConfig.from_dict(config.get("fitting"))
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return settings, float(config["simulation"]["bfield_t"])
