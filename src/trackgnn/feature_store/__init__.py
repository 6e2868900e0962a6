"""Feature store: TrackML events -> per-event node features, hit truth and truth graphs in HDF5.

Per event (``N`` hits, ``T`` truth edges):

* ``hit_id`` int64 [N]; ``x`` float32 [N, F] (file attr ``feature_names``); ``r, phi, z, eta``
  float32 [N]; ``volume_id, layer_id, module_id`` int32 [N].
* with truth: ``particle_id`` int64 [N] (0 noise), ``pt, particle_eta, weight`` float32 [N],
  ``node_target`` bool [N], ``truth_edges`` int64 [2, T], ``truth_target`` bool [T].
"""

from trackgnn.feature_store.config import DEFAULT_FEATURES, FeatureStoreConfig
from trackgnn.feature_store.event import BASE_ARRAYS, TRUTH_ARRAYS, process_event
from trackgnn.feature_store.features import FEATURES
from trackgnn.feature_store.shard import build_feature_store
from trackgnn.plan import split_events

__all__ = [
    "BASE_ARRAYS",
    "DEFAULT_FEATURES",
    "FEATURES",
    "FeatureStoreConfig",
    "TRUTH_ARRAYS",
    "build_feature_store",
    "process_event",
    "split_events",
]
