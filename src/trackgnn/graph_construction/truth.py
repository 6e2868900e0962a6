"""Per-node helpers shared by graph building and validation."""

from __future__ import annotations

import numpy as np

from trackgnn.feature_store.truth_graph import group_key


def module_key(arrays: dict) -> np.ndarray:
    """int64 [N] module key from ``volume_id, layer_id, module_id``."""
    return group_key(arrays["volume_id"], arrays["layer_id"], arrays["module_id"], "modulewise")


def origin_distance(arrays: dict) -> np.ndarray:
    """float64 [N] :math:`\\rho = \\sqrt{r^2 + z^2}` from the stored ``r`` and ``z``."""
    return np.hypot(np.asarray(arrays["r"], np.float64), np.asarray(arrays["z"], np.float64))
