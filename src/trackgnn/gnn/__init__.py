"""GNN edge classification: models behind :class:`GNNBase`, chosen by ``gnn.model``.

Python API: :class:`~trackgnn.gnn.base.GNNBase`, :data:`GNN_MODELS`,
:func:`~trackgnn.gnn.compare.compare_models`; config section ``gnn`` (:data:`GNN_DEFAULTS`).
"""

from trackgnn.gnn.config import GNN_DEFAULTS, gnn_config
from trackgnn.gnn.registry import GNN_MODELS

__all__ = ["GNN_DEFAULTS", "GNN_MODELS", "gnn_config"]
