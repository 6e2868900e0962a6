"""Convert between the per-event array dict of a shard and a PyG ``Data`` object."""

from __future__ import annotations

import numpy as np
import torch
from torch_geometric.data import Data

from trackgnn.data.tensors import to_tensor


def arrays_to_data(arrays: dict, event_id: int | None = None) -> Data:
    """Every array becomes a tensor attribute of the same name (floats as float32).

    ``edge_index`` must be ``[2, E]`` integers; ``_attrs`` entries become plain attributes.
    """
    data = Data()
    for name, value in arrays.items():
        if name == "_attrs":
            for key, attr in value.items():
                data[key] = attr
            continue
        tensor = to_tensor(value)
        if tensor is None:
            continue
        data[name] = tensor
    if event_id is not None:
        data.event_id = int(event_id)
    if "edge_index" in data and (data.edge_index.dim() != 2 or data.edge_index.shape[0] != 2):
        raise ValueError(f"edge_index must have shape [2, E], got {tuple(data.edge_index.shape)}")
    if "hit_id" in data:
        data.num_nodes = int(data.hit_id.shape[0])
    return data


def data_to_arrays(data: Data) -> dict[str, np.ndarray]:
    """Tensor attributes of ``data`` as NumPy arrays (non-tensor attributes are dropped)."""
    out = {}
    for key, value in data.items():
        if isinstance(value, torch.Tensor):
            out[key] = value.detach().cpu().numpy()
    return out
