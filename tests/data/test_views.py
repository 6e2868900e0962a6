"""Several training steps per event: views of one event and phi sectors."""

import math

import torch
from torch_geometric.data import Batch, Data

from trackgnn.data.views import part_views, phi_sector, view_part


def test_part_views_share_tensors():
    graph = Data(x=torch.randn(5, 3), pt=torch.ones(5))
    views = part_views([graph], 4)
    assert [view_part(v) for v in views] == [(0, 4), (1, 4), (2, 4), (3, 4)]
    assert all(v.x.data_ptr() == graph.x.data_ptr() for v in views)
    assert part_views([graph], 1) == [graph]
    assert view_part(graph) is None


def test_view_part_survives_batching():
    views = part_views([Data(x=torch.randn(5, 3))], 3)
    assert view_part(Batch.from_data_list([views[2]])) == (2, 3)


def test_phi_sector_covers_the_circle_evenly():
    phi = torch.linspace(-math.pi, math.pi, 8001)
    sectors = phi_sector(phi, 8)
    assert int(sectors.min()) == 0 and int(sectors.max()) == 7
    counts = torch.bincount(sectors, minlength=8)
    assert int(counts.max() - counts.min()) <= 2  # equal shares of the circle
    # sectors are contiguous in phi and phi = +pi is the same direction as -pi
    assert (sectors[1:-1] >= sectors[:-2]).all()
    assert int(phi_sector(torch.tensor([math.pi]), 8)) == int(phi_sector(torch.tensor([-math.pi]), 8))
    # angles outside [-pi, pi) wrap
    assert int(phi_sector(torch.tensor([0.1 + 2 * math.pi]), 8)) == int(phi_sector(torch.tensor([0.1]), 8))
