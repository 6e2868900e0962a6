"""Several training steps per event: the same event served more than once, each copy marked
with which part of it a step covers.

Full-occupancy events (~100k hits, millions of candidate edges) are few per dataset; one
optimiser step per event would leave a short training with a few dozen steps, most of them
spent in the learning-rate warm-up. Serving each event ``parts`` times, each time with a
different part marked, gives ``parts`` steps per event, each on a share of its hits or edges
(which share is the model stage's choice: query hits for the embedding, phi sectors for the
edge classifiers).
"""

from __future__ import annotations

import math


def part_views(graphs: list, parts: int) -> list:
    """Each graph ``parts`` times with ``part`` (its index) and ``n_parts`` set; tensors are
    shared with the original, not copied. ``parts <= 1`` returns ``graphs`` unchanged."""
    if parts <= 1:
        return graphs
    import torch
    from torch_geometric.data import Data

    views = []
    for graph in graphs:
        for part in range(parts):
            view = Data(**{key: graph[key] for key in graph.keys()})
            view.query_part = torch.tensor([part])
            view.n_parts = torch.tensor([parts])
            views.append(view)
    return views


def view_part(batch) -> tuple[int, int] | None:
    """``(part, n_parts)`` of a batch made from :func:`part_views`, ``None`` for a whole event."""
    if "query_part" not in batch:
        return None
    return int(batch.query_part.reshape(-1)[0]), int(batch.n_parts.reshape(-1)[0])


def phi_sector(phi, n_sectors: int):
    """Sector index in ``[0, n_sectors)`` of azimuth ``phi`` (radians, any range; tensor)."""
    wrapped = (phi + math.pi) % (2 * math.pi)
    return (wrapped * (n_sectors / (2 * math.pi))).long().clamp_(0, n_sectors - 1)
