"""GNN edge classification: models behind :class:`GNNBase`, chosen by ``gnn.model``.

Python API: :class:`~trackgnn.gnn.base.GNNBase`, :data:`GNN_MODELS`,
:func:`~trackgnn.gnn.compare.compare_models`; config section ``gnn`` (defaults:
``src/trackgnn/schemas/config.schema.yaml``). What the GNN shares with the filter lives in
:mod:`trackgnn.edge_classifier`.
"""

from trackgnn.gnn.registry import GNN_MODELS

__all__ = ["GNN_MODELS"]
