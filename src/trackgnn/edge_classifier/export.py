"""Weights-only export of a trained edge classifier: ``<stem>.pt`` + ``<stem>.json``.

The ``.pt`` file is a plain ``state_dict`` of the inner ``nn.Module`` (loaded with
``torch.load(weights_only=True)``, so a file from elsewhere cannot run code); the JSON
holds the hyperparameters needed to rebuild the module and apply it (model name, model
kwargs, input sizes, cut, feature settings) and an ``integrity`` block (sha256 of the
``.pt``, stage, model class, format version: :mod:`trackgnn.utils.model_files`) checked
on load.
"""

from __future__ import annotations

import json
from pathlib import Path

from trackgnn.utils.atomic import atomic_path
from trackgnn.utils.jsonio import write_json
from trackgnn.utils.model_files import (
    INTEGRITY_KEY,
    ModelFileError,
    check_description,
    construct,
    integrity_block,
    load_state,
    read_weights,
)
from trackgnn.utils.registry import Registry


def export_model(net, hparams: dict, out_dir: str | Path, stem: str) -> tuple[Path, Path]:
    """Write ``out_dir/<stem>.pt`` (state dict) and ``out_dir/<stem>.json`` (hparams + integrity).

    ``stem`` is also the stage recorded in the JSON (``filter``, ``gnn``: the name of the
    stage's model registry), so that one stage refuses the other's model.
    """
    import torch

    out_dir = Path(out_dir)
    weights = out_dir / f"{stem}.pt"
    with atomic_path(weights) as tmp:
        torch.save({k: v.detach().cpu() for k, v in net.state_dict().items()}, tmp)
    meta = out_dir / f"{stem}.json"
    description = {k: v for k, v in hparams.items() if k != INTEGRITY_KEY}
    description[INTEGRITY_KEY] = integrity_block(weights, stem, type(net))
    write_json(meta, description, sort_keys=True)
    return weights, meta


def load_exported(model_dir: str | Path, stem: str, registry: Registry):
    """Rebuild the module exported by :func:`export_model`: ``(net, hparams)`` in eval mode.

    Checks the recorded sha256, stage and model class (a description without them, written
    before they existed, loads with a warning); every failure is a
    :class:`~trackgnn.utils.model_files.ModelFileError` naming the file.

    Args:
        model_dir: folder holding ``<stem>.pt`` and ``<stem>.json``.
        registry: the stage's model :class:`~trackgnn.utils.registry.Registry`.
    """
    model_dir = Path(model_dir)
    meta, weights = model_dir / f"{stem}.json", model_dir / f"{stem}.pt"
    for path in (meta, weights):
        if not path.exists():
            raise FileNotFoundError(f"{path}: no exported {stem} model (run the training stage first)")
    hparams = read_description(meta)
    block = hparams.pop(INTEGRITY_KEY, None)
    cls = model_class(registry, hparams, meta)
    check_description(meta, block, registry.stage, hparams["model"], cls)
    state = read_weights(weights, block)
    net = build_net(registry, hparams, meta)
    load_state(net, state, weights, meta)
    net.eval()
    return net, hparams


def read_description(meta: Path) -> dict:
    """The JSON object of ``meta`` with the keys every edge classifier needs."""
    try:
        hparams = json.loads(meta.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{meta}: not valid JSON (corrupt or truncated?): {exc}") from None
    if not isinstance(hparams, dict):
        raise ModelFileError(f"{meta}: expected a JSON object of hyperparameters, got {type(hparams).__name__}")
    missing = [k for k in ("model", "node_features", "edge_features_dim", "edge_features") if k not in hparams]
    if missing:
        raise ModelFileError(f"{meta}: lacks key(s) {missing}; not a model description written by trackgnn")
    if not isinstance(hparams.get("model_kwargs", {}), dict):
        raise ModelFileError(f"{meta}: 'model_kwargs' must be an object, got {hparams['model_kwargs']!r}")
    return hparams


def model_class(registry, hparams: dict, meta: Path | str = "model description") -> type:
    """The class ``hparams['model']`` names in ``registry``; an unknown name names the file."""
    try:
        return registry.get(hparams["model"])
    except KeyError as exc:
        raise ModelFileError(f"{meta}: {exc.args[0]}; is this a {registry.stage} model folder?") from None


def build_net(registry, hparams: dict, meta: Path | str = "model description"):
    """Instantiate ``hparams['model']`` from ``registry`` with the stored sizes and kwargs."""
    cls = model_class(registry, hparams, meta)
    try:
        sizes = {"node_features": int(hparams["node_features"]), "edge_features": int(hparams["edge_features_dim"])}
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{meta}: node_features / edge_features_dim must be integers: {exc}") from None
    kwargs = dict(hparams.get("model_kwargs", {}))
    clash = sorted(set(kwargs) & set(sizes))
    if clash:
        raise ModelFileError(f"{meta}: model_kwargs must not set {clash} (they are stored as sizes)")
    return construct(cls, {**sizes, **kwargs}, Path(str(meta)), "model_kwargs")
