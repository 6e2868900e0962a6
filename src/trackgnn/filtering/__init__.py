"""Edge filter stage: an MLP scores each candidate edge and edges below the cut are removed.

Python API: :class:`FilterBase` (LightningModule), :func:`train_filter`,
:func:`filter_shard`; config section ``filter`` (:data:`FILTER_DEFAULTS`).
"""

from trackgnn.filtering.config import FILTER_DEFAULTS, filter_config
from trackgnn.filtering.registry import FILTER_MODELS

__all__ = ["FILTER_DEFAULTS", "FILTER_MODELS", "filter_config"]
