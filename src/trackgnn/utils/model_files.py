"""Integrity of exported model files (``<stage>.pt`` weights + ``<stage>.json`` description).

A few flipped bytes in a weight file still load as tensors: the model then silently drops
every edge or scores NaN. The JSON therefore records the sha256 of the ``.pt`` file, the
stage (registry) and class the weights were written for, and a format version; loading
checks all of them and turns the errors of ``load_state_dict`` and of a constructor given
a wrong hyperparameter into :class:`ModelFileError` messages naming the file and the key.
Descriptions written before the format existed load with a warning.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import logging
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

#: Version of the integrity block; files of a newer version are refused.
FORMAT_VERSION = 1
#: Key of the integrity block in a model JSON.
INTEGRITY_KEY = "integrity"


class ModelFileError(ValueError):
    """A model file is corrupt, replaced, of another model, or does not fit its description."""


def class_path(cls: type) -> str:
    """``module.QualName`` of a class."""
    return f"{cls.__module__}.{cls.__qualname__}"


def integrity_block(weights: str | Path, stage: str, cls: type) -> dict:
    """What the model JSON records about ``weights`` (an existing, complete file)."""
    return {
        "format_version": FORMAT_VERSION,
        "weights_file": Path(weights).name,
        "weights_sha256": hashlib.sha256(Path(weights).read_bytes()).hexdigest(),
        "stage": stage,
        "model_class": class_path(cls),
    }


def check_description(meta_path: Path, block: Mapping | None, stage: str, model: str, cls: type) -> None:
    """The description's stage, class and format version against what the loader builds.

    Args:
        block: the integrity block of the JSON (``None`` for old files: warning only).
        stage: the stage of the loader's registry; model: the registry name in the JSON;
        cls: the class that name builds today.
    """
    if block is None:
        log.warning(
            "%s: no checksum (written before model-file format %d); its weights are loaded "
            "unverified. Retrain or re-export to add one.",
            meta_path,
            FORMAT_VERSION,
        )
        return
    if not isinstance(block, Mapping):
        raise ModelFileError(f"{meta_path}: '{INTEGRITY_KEY}' must be an object, got {type(block).__name__}")
    version = block.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelFileError(
            f"{meta_path}: model-file format_version {version!r} is not supported "
            f"(this trackgnn reads up to {FORMAT_VERSION}); use the trackgnn that wrote it"
        )
    if block.get("stage") != stage:
        raise ModelFileError(
            f"{meta_path}: holds a {block.get('stage')} model, but a {stage} model is "
            f"needed here; check the model folder given to this stage"
        )
    written = str(block.get("model_class", ""))
    if written.rsplit(".", 1)[-1] != cls.__qualname__.rsplit(".", 1)[-1]:
        raise ModelFileError(
            f"{meta_path}: the weights were written by class {written or '?'}, but "
            f"model '{model}' builds {class_path(cls)}; the description was edited or "
            f"belongs to another model"
        )


def read_weights(weights: Path, block: Mapping | None) -> dict:
    """The state dict of ``weights`` (``weights_only=True``), checked against the recorded sha256."""
    import torch

    data = weights.read_bytes()
    expected = None if block is None else block.get("weights_sha256")
    if block is not None and not isinstance(expected, str):
        raise ModelFileError(
            f"{weights}: its description's '{INTEGRITY_KEY}' block has no weights_sha256; "
            "the description was edited: re-export the model"
        )
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise ModelFileError(
            f"{weights}: checksum mismatch, file corrupted or replaced (sha256 differs "
            f"from the one recorded at export); retrain or restore the file"
        )
    try:
        state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for corrupt files
        raise ModelFileError(f"{weights}: cannot be read as weights: {exc}") from None
    if not isinstance(state, Mapping) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelFileError(f"{weights}: expected a state dict of tensors, got {type(state).__name__}")
    return dict(state)


def construct(cls: type, kwargs: Mapping, meta_path: Path, key: str):
    """``cls(**kwargs)``; a keyword the constructor does not take (a typo), a missing one or
    a wrong value is a :class:`ModelFileError` naming ``key`` of ``meta_path``."""
    params = inspect.signature(cls).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    named = {n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    unknown = sorted(set(kwargs) - named) if not takes_any else []
    if unknown:
        raise ModelFileError(
            f"{meta_path}: {key} {unknown} not accepted by {class_path(cls)}; it takes {sorted(named)}"
        )
    missing = sorted(n for n in named if params[n].default is inspect.Parameter.empty and n not in kwargs)
    if missing:
        raise ModelFileError(f"{meta_path}: {key} lacks {missing}, required by {class_path(cls)}")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError, KeyError) as exc:
        raise ModelFileError(f"{meta_path}: {key} cannot build {class_path(cls)}: {exc}") from None


def load_state(net, state: Mapping, weights: Path, meta_path: Path) -> None:
    """``net.load_state_dict(state)``; missing, unexpected and mis-shaped keys are listed by name."""
    own = net.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    shapes = [
        f"'{k}' is {tuple(state[k].shape)} in the file, {tuple(own[k].shape)} in the model"
        for k in sorted(set(own) & set(state))
        if tuple(state[k].shape) != tuple(own[k].shape)
    ]
    problems = []
    if missing:
        problems.append(f"missing keys {_few(missing)}")
    if unexpected:
        problems.append(f"unexpected keys {_few(unexpected)}")
    if shapes:
        problems.append("shape mismatch: " + "; ".join(_few(shapes, quote=False)))
    if problems:
        raise ModelFileError(
            f"{weights}: weights do not fit the model described by {meta_path.name} "
            f"({'; '.join(problems)}); the two files belong to different models"
        )
    try:
        net.load_state_dict(state)
    except RuntimeError as exc:
        raise ModelFileError(f"{weights}: weights do not fit the model described by {meta_path.name}: {exc}") from None


def _few(items: list, n: int = 5, quote: bool = True) -> str | list:
    shown = items[:n]
    more = f" and {len(items) - n} more" if len(items) > n else ""
    if not quote:
        return [*shown, more.strip()] if more else shown
    return f"{shown}{more}"
