"""Weights-only model files: ``embedding.pt`` (a state dict of tensors) + ``embedding.json``
(model name, plain hyperparameters and an ``integrity`` block: sha256 of the ``.pt``, stage,
model class, format version; see :mod:`trackgnn.utils.model_files`). Loading never unpickles
code (``weights_only=True``), checks the integrity block and never imports Lightning: it
rebuilds an :class:`~trackgnn.graph_construction.network.EmbeddingNetwork`."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from trackgnn.graph_construction.models import EMBEDDING_MODELS
from trackgnn.graph_construction.network import EmbeddingNetwork
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
    block = integrity_block(out_dir / WEIGHTS, EMBEDDING_MODELS.stage, EMBEDDING_MODELS.get(hparams["model"]))
    write_json(out_dir / HPARAMS, {"model": hparams["model"], "hparams": hparams, INTEGRITY_KEY: block})
    return out_dir / WEIGHTS


def load_model(model_dir: str | Path) -> EmbeddingNetwork:
    """The exported model of ``model_dir`` in eval mode on CPU.

    Raises:
        ModelFileError: the description is unreadable, of another stage or class, the
            weights fail their checksum or do not fit the described network.
    """
    model_dir = Path(model_dir)
    meta, weights = model_dir / HPARAMS, model_dir / WEIGHTS
    for path in (meta, weights):
        if not path.exists():
            raise FileNotFoundError(f"{path}: missing; run 'trackgnn train-embedding' first")
    try:
        description = json.loads(meta.read_text())
        hparams = {**description["hparams"], "model": description["model"]}
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{meta}: unreadable model description: {exc!r}") from None
    try:
        cls = EMBEDDING_MODELS.get(hparams["model"])
    except KeyError as exc:
        raise ModelFileError(f"{meta}: {exc.args[0]}; is this an embedding model folder?") from None
    block = description.get(INTEGRITY_KEY)
    check_description(meta, block, EMBEDDING_MODELS.stage, hparams["model"], cls)
    state = read_weights(weights, block)
    model = construct(EmbeddingNetwork, {"hparams": hparams}, meta, "hparams")
    load_state(model, state, weights, meta)
    return model.eval()
