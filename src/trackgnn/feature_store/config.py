"""The ``feature_store`` config section, checked once so that a typo fails before any work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from trackgnn.metrics import TargetCuts

#: Node features used when the config names none: ``[r/1000, phi/pi, z/1000]``.
DEFAULT_FEATURES = ("r", "phi", "z")
TRUTH_GRAPHS = ("modulewise", "layerwise")


@dataclass(frozen=True)
class FeatureStoreConfig:
    """Settings of the feature-store stage.

    Attributes:
        features: names of the node features stacked into ``x`` (see
            :data:`trackgnn.feature_store.features.FEATURES`); cell features need cells files.
        truth_graph: ``modulewise`` (consecutive hits of a particle by distance from its vertex,
            hits of one module grouped) or ``layerwise`` (consecutive layers).
        target: target-particle selection (labels only; it never drops a hit).
        remove_noise: drop noise hits (``particle_id == 0``); only possible with truth, and
            never applied to events without truth (inference inputs keep every hit).
        detectors: path of ``detectors.csv[.gz]`` (cell features); ``None``: look for it next to
            and one folder above the input events.
    """

    features: tuple[str, ...] = DEFAULT_FEATURES
    truth_graph: str = "modulewise"
    target: TargetCuts = field(default_factory=TargetCuts)
    remove_noise: bool = False
    detectors: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> FeatureStoreConfig:
        """Build from a whole config: section ``feature_store``; target cuts from
        ``feature_store.target`` if given, else ``evaluation.target``, else defaults."""
        config = dict(config or {})
        section = dict(config.get("feature_store") or {})
        target = section.pop("target", None)
        if target is None:
            target = (config.get("evaluation") or {}).get("target")
        return cls.from_dict(section, target)

    @classmethod
    def from_dict(cls, section: Mapping[str, Any], target: Mapping[str, Any] | None = None) -> FeatureStoreConfig:
        from trackgnn.feature_store.features import FEATURES

        section = dict(section)
        known = {f.name for f in fields(cls)} - {"target"}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ValueError(f"feature_store: unknown key(s) {unknown}; expected some of {sorted(known | {'target'})}")
        features = tuple(section.get("features") or DEFAULT_FEATURES)
        bad = [f for f in features if f not in FEATURES]
        if bad:
            raise ValueError(f"feature_store.features: unknown feature(s) {bad}; known: {sorted(FEATURES)}")
        if len(set(features)) != len(features):
            raise ValueError(f"feature_store.features lists a feature twice: {list(features)}")
        truth_graph = section.get("truth_graph", "modulewise")
        if truth_graph not in TRUTH_GRAPHS:
            raise ValueError(f"feature_store.truth_graph must be one of {TRUTH_GRAPHS}, got {truth_graph!r}")
        return cls(
            features=features,
            truth_graph=truth_graph,
            target=TargetCuts.from_dict(target),
            remove_noise=bool(section.get("remove_noise", False)),
            detectors=section.get("detectors"),
        )

    def as_dict(self) -> dict:
        out = asdict(self)
        out["features"] = list(self.features)
        return out
