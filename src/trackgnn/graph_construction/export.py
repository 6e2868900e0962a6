"""Weights-only model files: ``embedding.pt`` (a state dict of tensors) + ``embedding.json``
(model name and plain hyperparameters). Loading never unpickles code (``weights_only=True``)
and never imports Lightning: it rebuilds an :class:`~trackgnn.graph_construction.network.EmbeddingNetwork`."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from torch import nn

from trackgnn.graph_construction.network import EmbeddingNetwork
from trackgnn.utils.atomic import atomic_path, atomic_write_text

WEIGHTS, HPARAMS = "embedding.pt", "embedding.json"


def load_checkpoint_state(path: str | Path) -> dict:
    """``state_dict`` of a Lightning checkpoint, read with ``weights_only=True``."""
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    if "state_dict" not in ckpt:
        raise ValueError(f"{path}: not a Lightning checkpoint (no state_dict)")
    return ckpt["state_dict"]


def save_model(model: nn.Module, out_dir: str | Path, state_dict: dict | None = None) -> Path:
    """Write ``embedding.pt`` and ``embedding.json`` into ``out_dir``.

    Args:
        model: an ``EmbeddingBase`` or :class:`EmbeddingNetwork` (``hparams`` and ``net.*`` weights).
    """
    out_dir = Path(out_dir)
    hparams = dict(model.hparams)
    with atomic_path(out_dir / WEIGHTS) as tmp:
        torch.save({k: v.detach().cpu() for k, v in (state_dict or model.state_dict()).items()}, tmp)
    atomic_write_text(out_dir / HPARAMS, json.dumps({"model": hparams["model"], "hparams": hparams}, indent=2))
    return out_dir / WEIGHTS


def load_model(model_dir: str | Path) -> EmbeddingNetwork:
    """The exported model of ``model_dir`` in eval mode on CPU."""
    model_dir = Path(model_dir)
    for name in (WEIGHTS, HPARAMS):
        if not (model_dir / name).exists():
            raise FileNotFoundError(f"{model_dir / name}: missing; run 'trackgnn train-embedding' first")
    try:
        meta = json.loads((model_dir / HPARAMS).read_text())
        model = EmbeddingNetwork({**meta["hparams"], "model": meta["model"]})
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{model_dir / HPARAMS}: unreadable model description: {exc}") from None
    try:
        state = torch.load(model_dir / WEIGHTS, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for corrupt files
        raise ValueError(f"{model_dir / WEIGHTS}: cannot be read as weights: {exc}") from None
    model.load_state_dict(state)
    return model.eval()
