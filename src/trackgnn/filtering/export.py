"""Weights-only export of a trained edge classifier: ``<stem>.pt`` + ``<stem>.json``.

The ``.pt`` file is a plain ``state_dict`` of the inner ``nn.Module`` (loaded with
``torch.load(weights_only=True)``, so a file from elsewhere cannot run code); the JSON
holds the hyperparameters needed to rebuild the module and apply it (model name, model
kwargs, input sizes, cut, feature settings).
"""

from __future__ import annotations

import json
from pathlib import Path

from trackgnn.utils.atomic import atomic_path, atomic_write_text


def export_model(net, hparams: dict, out_dir: str | Path, stem: str) -> tuple[Path, Path]:
    """Write ``out_dir/<stem>.pt`` (state dict) and ``out_dir/<stem>.json`` (hparams)."""
    import torch

    out_dir = Path(out_dir)
    weights = out_dir / f"{stem}.pt"
    with atomic_path(weights) as tmp:
        torch.save({k: v.detach().cpu() for k, v in net.state_dict().items()}, tmp)
    meta = out_dir / f"{stem}.json"
    atomic_write_text(meta, json.dumps(hparams, indent=2, sort_keys=True))
    return weights, meta


def load_exported(model_dir: str | Path, stem: str, registry):
    """Rebuild the module exported by :func:`export_model`: ``(net, hparams)`` in eval mode.

    Args:
        model_dir: folder holding ``<stem>.pt`` and ``<stem>.json``.
        registry: the stage's model :class:`~trackgnn.utils.registry.Registry`.
    """
    import torch

    model_dir = Path(model_dir)
    meta, weights = model_dir / f"{stem}.json", model_dir / f"{stem}.pt"
    for path in (meta, weights):
        if not path.exists():
            raise FileNotFoundError(f"{path}: no exported {stem} model (run the training stage first)")
    hparams = json.loads(meta.read_text())
    net = build_net(registry, hparams)
    try:
        state = torch.load(weights, map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt file or not a weights-only state dict
        raise ValueError(f"{weights}: cannot load weights: {exc}") from None
    net.load_state_dict(state)
    net.eval()
    return net, hparams


def build_net(registry, hparams: dict):
    """Instantiate ``hparams['model']`` from ``registry`` with the stored sizes and kwargs."""
    cls = registry.get(hparams["model"])
    return cls(
        node_features=int(hparams["node_features"]),
        edge_features=int(hparams["edge_features_dim"]),
        **hparams.get("model_kwargs", {}),
    )
