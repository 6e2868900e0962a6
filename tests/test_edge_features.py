import math

import numpy as np
import torch

from trackgnn.edge_features import EDGE_FEATURE_NAMES, edge_geometry, wrap_phi


def test_wrap_phi_crosses_the_cut():
    d = wrap_phi(torch.tensor([3.1 - (-3.1), -6.0, 0.5]))
    assert torch.allclose(d, torch.tensor([6.2 - 2 * math.pi, -6.0 + 2 * math.pi, 0.5]), atol=1e-6)


def test_helix_edge_has_expected_slope_and_z0():
    # a 1 GeV track in 2 T (R = 1667.8 mm) from z0 = 20 mm at eta 0.5
    radius, z0, eta = 1000.0 / (0.2998 * 2.0), 20.0, 0.5
    r = torch.tensor([300.0, 400.0])
    half = torch.asin(r / (2 * radius))
    phi = 0.3 - half
    z = z0 + 2 * radius * half * math.sinh(eta)
    feats = edge_geometry(torch.tensor([[0], [1]]), r, phi, z, torch.asinh(z / r))
    col = {name: feats[0, k].item() for k, name in enumerate(EDGE_FEATURE_NAMES)}
    expected_slope = ((phi[1] - phi[0]) / 100.0).item() * 1e3
    assert np.isclose(col["phi_slope"], expected_slope, rtol=1e-4)
    assert abs(col["phi_slope"]) < 1.0 / (2 * radius) * 1e3 * 1.01
    # straight-line extrapolation of a helix chord: within ~1 mm of the true z0 at 1 GeV
    assert np.isclose(col["z0"] * 1e3, z0, atol=1.0)
    assert np.isclose(col["dr"], 0.1)


def test_zero_dr_stays_finite():
    r = torch.tensor([500.0, 500.0])
    feats = edge_geometry(
        torch.tensor([[0], [1]]), r, torch.tensor([0.0, 0.1]), torch.tensor([0.0, 30.0]), torch.zeros(2)
    )
    assert torch.isfinite(feats).all() and feats.abs().max() <= 10.0
