"""The embedding network without its training wrapper: what graph building loads.

Embedding models (``EMBEDDING_MODELS``, ``metric_learning.model``) are plain ``nn.Module`` classes
mapping node features :math:`[N, F]` to embeddings :math:`[N, D]`. :class:`EmbeddingBase`
trains one; :class:`EmbeddingNetwork` runs an exported one. Inference never imports
Lightning, whose import (with the ``torch._dynamo``, torchmetrics and scipy.signal modules
it pulls in) took ~5 s of each ~12 s ``build-graphs`` job of the default run.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping

import torch
from torch import nn

from trackgnn.graph_construction.models import EMBEDDING_MODELS
from trackgnn.nn.activations import with_fast_activations


class HParams(dict):
    """A dict with attribute access (``hparams.radius``), like Lightning's ``hparams``."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def build_network(hparams: Mapping) -> nn.Module:
    """The model ``hparams['model']`` of ``EMBEDDING_MODELS``, given the hyperparameters its
    constructor names (``in_dim``, ``emb_dim`` and its own; the training ones are not its business)."""
    cls = EMBEDDING_MODELS.get(hparams["model"])
    accepted = inspect.signature(cls).parameters
    return cls(**{k: v for k, v in hparams.items() if k in accepted})


def check_input(x: torch.Tensor, hparams: Mapping) -> None:
    """``x`` must be :math:`[N, F]` with the model's ``in_dim``; the error names the features
    the model was trained on."""
    if x.dim() != 2 or x.shape[1] != hparams["in_dim"]:
        names = hparams.get("feature_names")
        trained_on = f", trained on feature_store.features {list(names)}" if names else ""
        raise ValueError(
            f"embedding model expects features [N, {hparams['in_dim']}]{trained_on}; got "
            f"{tuple(x.shape)}: run with the feature list the model was trained on"
        )


class EmbeddingNetwork(nn.Module):
    """An embedding network and its hyperparameters, for inference.

    Args:
        hparams: the hyperparameters saved with the model (``model``, ``in_dim``,
            ``emb_dim``, ``radius``, ``knn``, ``feature_names``...).

    Its ``state_dict`` keys (``net.*``) are those of :class:`EmbeddingBase`, so the weights
    of either load into the other. Its ``tanh`` activations are computed through the sigmoid
    (:class:`~trackgnn.nn.activations.SigmoidTanh`: 4.7x faster on CPU, same function up to
    2e-7), so its embeddings match the trained module's to float32 rounding, not bit for bit.
    """

    def __init__(self, hparams: Mapping):
        super().__init__()
        self.hparams = HParams(hparams)
        self.net = with_fast_activations(build_network(self.hparams))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Embeddings [N, D] of node features ``x`` [N, F]."""
        check_input(x, self.hparams)
        return self.net(x)
