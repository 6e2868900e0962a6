"""The ``simulation:`` block of the workflow config, validated into a dataclass.

Every key is optional: a missing key takes the schema's default (the schema,
``trackgnn/schemas/config.schema.yaml``, is the only place defaults and their calibration
are written; the dataclass has none). Unknown keys and bad values raise ``ValueError``
naming the key, so that a typo in a YAML file fails loudly instead of silently falling back
to a default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trackgnn.config import schema_defaults

#: TrackML volume ids (pixel, short strip, long strip; -z endcap / barrel / +z endcap).
VOLUMES = (7, 8, 9, 12, 13, 14, 16, 17, 18)

#: Per-volume readout keys: a mapping given for them fills unlisted volumes with the schema's
#: calibrated defaults (``noise`` and ``module_inefficiency`` fill them with 0).
READOUT_KEYS = (
    "cell_diffusion_u_mm",
    "cell_diffusion_v_mm",
    "cell_threshold_mm",
    "cell_charge_scale",
    "cell_charge_smearing",
)

SOURCES = ("pileup", "particles", "pythia8")
DIGITIZATIONS = ("geometric", "smearing")


@dataclass(frozen=True)
class SimulationConfig:
    """Settings of the event simulation (units: GeV, mm, tesla).

    Attributes:
        source: where particles come from: ``pileup`` (parametric min-bias generator),
            ``particles`` (replay TrackML particles files) or ``pythia8`` (optional extra).
        mu: mean number of pile-up interactions per event (Poisson).
        particles_per_interaction: mean charged multiplicity of one interaction.
        multiplicity_shape: negative-binomial shape k of that multiplicity (smaller = heavier tail).
        pt_min: lower pT edge of the soft spectrum (GeV).
        pt_slope: slope of the exponential soft pT spectrum above ``pt_min`` (1/GeV).
        hard_fraction: fraction of particles drawn from the hard component instead.
        hard_pt_mean: mean of the exponential hard component above 1 GeV (GeV).
        eta_max: particles are generated flat in abs(eta) < eta_max.
        beam_sigma_xy_mm, beam_sigma_z_mm: Gaussian beam spot; one vertex per interaction.
        bfield_t: constant solenoid field along z.
        p_min_gev: Fatras momentum cut (FatrasSimulation.pMin; ACTS default is 0.5 GeV).
        sim_pt_min_gev: particles below this transverse momentum are written to particles.csv
            but leave no hits; the real TrackML events show this cut at 0.15 GeV.
        material: simulate scattering, energy loss and conversions in the material.
        digitization: ``geometric`` (pixel clusters with cells) or ``smearing`` (one cell).
        noise: noise hits per module per event at mu = 200, a number or a per-volume mapping.
        noise_scale_with_mu: scale the noise by mu / 200 (generated sources only), which keeps
            TrackML's noise fraction at low pile-up; false gives the absolute TrackML rate.
        module_inefficiency: probability to lose a particle hit, a number or per volume.
        pythia_hard_process: ``ttbar`` or ``none`` (source pythia8 only).
        cell_diffusion_u_mm, cell_diffusion_v_mm: Gaussian charge spread along u / v (mm) per
            volume (geometric digitization; :mod:`trackgnn.simulation.readout`).
        cell_threshold_mm: cells with less charge (mm of silicon path) are not read out.
        cell_charge_scale: charge-to-``value`` factor of non-binary (pixel) volumes.
        cell_charge_smearing: relative Gaussian fluctuation of each sim hit's charge.
        binary_readout_volumes: volumes whose cells read 1.0 (strips in real TrackML).
    """

    source: str
    mu: float
    particles_per_interaction: float
    multiplicity_shape: float
    pt_min: float
    pt_slope: float
    hard_fraction: float
    hard_pt_mean: float
    eta_max: float
    beam_sigma_xy_mm: float
    beam_sigma_z_mm: float
    bfield_t: float
    p_min_gev: float
    sim_pt_min_gev: float
    material: bool
    digitization: str
    noise: Mapping[int, float]
    module_inefficiency: Mapping[int, float]
    noise_scale_with_mu: bool
    pythia_hard_process: str
    cell_diffusion_u_mm: Mapping[int, float]
    cell_diffusion_v_mm: Mapping[int, float]
    cell_threshold_mm: Mapping[int, float]
    cell_charge_scale: Mapping[int, float]
    cell_charge_smearing: Mapping[int, float]
    binary_readout_volumes: list

    @classmethod
    def from_dict(cls, cfg: Mapping[str, Any] | None) -> SimulationConfig:
        """Validate a ``simulation:`` mapping; missing keys (all of them for ``None`` or
        ``{}``) take the schema's defaults."""
        cfg = dict(cfg or {})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(cfg) - names)
        if unknown:
            raise ValueError(f"simulation: unknown key(s) {unknown}; expected some of {sorted(names)}")
        defaults = schema_defaults("simulation")
        values = {**defaults, **cfg}
        return cls(**{name: _check(name, values[name], defaults) for name in sorted(names)})

    def per_volume(self, name: str) -> dict[int, float]:
        """``noise``, ``module_inefficiency`` or a ``cell_*`` key as a full {volume: value} mapping."""
        return dict(getattr(self, name))


_NON_NEGATIVE = {"mu", "hard_fraction", "beam_sigma_xy_mm", "beam_sigma_z_mm", "p_min_gev", "sim_pt_min_gev", "pt_min"}
_POSITIVE = {"particles_per_interaction", "multiplicity_shape", "pt_slope", "hard_pt_mean", "eta_max"}
_CHOICES = {"source": SOURCES, "digitization": DIGITIZATIONS, "pythia_hard_process": ("ttbar", "none")}


def _check(name: str, value: Any, defaults: Mapping[str, Any]) -> Any:
    where = f"simulation.{name}"
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise ValueError(f"{where}: got {value!r}; expected one of {list(_CHOICES[name])}")
        return value
    if name in ("material", "noise_scale_with_mu"):
        if not isinstance(value, bool):
            raise ValueError(f"{where}: got {value!r}; expected true or false")
        return value
    if name in ("noise", "module_inefficiency"):
        return _per_volume(where, value, upper=1.0 if name == "module_inefficiency" else None)
    if name in READOUT_KEYS:
        fill = _per_volume(f"schema default of {where}", defaults[name], upper=None)
        return _per_volume(where, value, upper=None, fill=fill)
    if name == "binary_readout_volumes":
        return _volume_list(where, value)
    number = _number(where, value)
    if name in _NON_NEGATIVE and number < 0:
        raise ValueError(f"{where}: got {value!r}; expected a number >= 0")
    if name in _POSITIVE and number <= 0:
        raise ValueError(f"{where}: got {value!r}; expected a number > 0")
    if name == "hard_fraction" and number > 1:
        raise ValueError(f"{where}: got {value!r}; expected a fraction in [0, 1]")
    return number


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: got {value!r}; expected a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{where}: got {value!r}; expected a finite number")
    return float(value)


def _volume_list(where: str, value: Any) -> list[int]:
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise ValueError(f"{where}: got {value!r}; expected a list of volume ids out of {list(VOLUMES)}")
    items = list(value)
    bad = [v for v in items if isinstance(v, bool) or not isinstance(v, int) or v not in VOLUMES]
    if bad:
        raise ValueError(f"{where}: {bad!r} not TrackML volume ids; expected a list out of {list(VOLUMES)}")
    return sorted(set(items))


def _per_volume(
    where: str, value: Any, upper: float | None, fill: Mapping[int, float] | None = None
) -> dict[int, float]:
    """A number (every volume) or a {volume: number} mapping; unlisted volumes get ``fill`` (else 0)."""
    if isinstance(value, Mapping):
        out = {v: (fill[v] if fill else 0.0) for v in VOLUMES}
        for key, item in value.items():
            try:
                volume = int(key)
            except (TypeError, ValueError):
                volume = None
            if volume not in VOLUMES:
                raise ValueError(f"{where}: key {key!r} is not a TrackML volume id; expected one of {list(VOLUMES)}")
            out[volume] = _bounded(f"{where}.{key}", item, upper)
        return out
    number = _bounded(where, value, upper)
    return {v: number for v in VOLUMES}


def _bounded(where: str, value: Any, upper: float | None) -> float:
    number = _number(where, value)
    if number < 0 or (upper is not None and number >= upper):
        bound = f"in [0, {upper})" if upper is not None else ">= 0"
        raise ValueError(f"{where}: got {value!r}; expected a number {bound}")
    return number
