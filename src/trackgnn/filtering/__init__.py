"""Edge filter stage: an MLP scores each candidate edge and edges below the cut are removed.

Python API: :class:`~trackgnn.filtering.base.FilterBase` (LightningModule),
:func:`~trackgnn.filtering.run.train_filter`, :func:`~trackgnn.filtering.run.filter_graphs`;
config section ``filter`` (defaults: ``src/trackgnn/schemas/config.schema.yaml``). What the filter
shares with the GNN lives in :mod:`trackgnn.edge_classifier`.
"""

from trackgnn.filtering.registry import FILTER_MODELS

__all__ = ["FILTER_MODELS"]
