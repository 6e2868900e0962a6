"""An event's arrays as torch tensors without PyG: what scoring edges needs.

Training batches events with PyG's loaders; inference scores one event at a time and only
needs its node arrays and edges as tensors. ``import torch_geometric`` costs ~4 s (it imports
``torch._dynamo``), paid by every ``filter-graphs`` / ``score-edges`` job before this module.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import torch


def to_tensor(value) -> torch.Tensor | None:
    """A NumPy array as a tensor: floats as float32, integers as int64, booleans kept;
    ``None`` for other kinds (strings, objects)."""
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
    if array.dtype.kind == "b":
        return torch.from_numpy(np.ascontiguousarray(array))
    if array.dtype.kind in "iu":
        return torch.from_numpy(np.ascontiguousarray(array, dtype=np.int64))
    return None


@dataclass
class EventGraph:
    """Node features, the node arrays of the edge geometry features, and the edges of one event.

    Attributes:
        x: float32 :math:`[N, F]`; r, phi, z, eta: float32 :math:`[N]`;
        edge_index: int64 :math:`[2, E]`.
    """

    x: torch.Tensor
    r: torch.Tensor
    phi: torch.Tensor
    z: torch.Tensor
    eta: torch.Tensor
    edge_index: torch.Tensor

    @classmethod
    def from_arrays(cls, arrays: dict, where: str = "event") -> EventGraph:
        """From a shard's event arrays (``where`` names the event in errors)."""
        missing = [f.name for f in fields(cls) if f.name not in arrays]
        if missing:
            raise ValueError(f"{where} lacks array(s) {missing}")
        graph = cls(**{f.name: to_tensor(arrays[f.name]) for f in fields(cls)})
        if graph.edge_index is None or graph.edge_index.dim() != 2 or graph.edge_index.shape[0] != 2:
            shape = None if graph.edge_index is None else tuple(graph.edge_index.shape)
            raise ValueError(f"{where}: edge_index must be integers of shape [2, E], got {shape}")
        return graph

    @property
    def num_nodes(self) -> int:
        return int(self.x.shape[0])

    def to(self, device) -> EventGraph:
        return EventGraph(**{f.name: getattr(self, f.name).to(device) for f in fields(self)})


#: The shard arrays an :class:`EventGraph` is built from (read only these to score edges).
EVENT_GRAPH_ARRAYS = tuple(f.name for f in fields(EventGraph))
