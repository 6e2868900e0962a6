"""Module-map graph construction: doublet ranges per module pair, learned from simulated truth.

A *module map* records, for every ordered module pair (inner -> outer) that consecutive
hits of a particle connect in the training events, the min / max of doublet quantities
(:mod:`.quantities`). Statistics are pooled over the detector's exact symmetries
(:mod:`.geometry`, :mod:`.pooling`). A new event's graph is: for each map pair, the doublets
of its hits inside every range (:mod:`.graph`); output shards match the metric-learning
``build-graphs`` ones (:mod:`.stage`). File format: :mod:`.mapfile`.
"""

from trackgnn.graph_construction.module_map.mapfile import FORMAT_VERSION, ModuleMap, ModuleMapError, load_map, save_map

__all__ = ["FORMAT_VERSION", "ModuleMap", "ModuleMapError", "load_map", "save_map"]
