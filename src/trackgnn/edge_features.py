"""Geometric features of candidate edges, shared by the edge filter and the GNN.

For an edge :math:`(i, j)` oriented inner to outer, with hit cylinder coordinates
:math:`(r, \\phi, z)` in mm and pseudorapidity :math:`\\eta`:

.. math::
    \\Delta r = r_j - r_i, \\quad \\Delta z = z_j - z_i, \\quad
    \\Delta\\phi = \\mathrm{wrap}(\\phi_j - \\phi_i) \\in [-\\pi, \\pi), \\quad
    \\Delta\\eta = \\eta_j - \\eta_i,

    s_\\phi = \\Delta\\phi / \\Delta r, \\qquad
    z_0 = z_i - r_i \\, \\Delta z / \\Delta r .

:math:`s_\\phi` is about :math:`q/(2R)` for a helix of radius :math:`R` (so
:math:`\\propto 1/p_T`) and :math:`z_0` is the intercept on the beam line; true edges
cluster at small values of both. Features are scaled to order one and clipped so that
endcap edges with :math:`\\Delta r \\approx 0` stay finite.
"""

from __future__ import annotations

import math

import torch

#: Names of the columns returned by :func:`edge_geometry`, in order.
EDGE_FEATURE_NAMES = ("dr", "dphi", "dz", "deta", "phi_slope", "z0")

#: Scale applied to each column (``dr``, ``dz``, ``z0`` in metres; ``phi_slope`` in rad/m).
_SCALES = (1e-3, 1.0, 1e-3, 1.0, 1e3, 1e-3)
_CLIP = 10.0
_MIN_DR = 1e-2  # mm


def wrap_phi(dphi: torch.Tensor) -> torch.Tensor:
    """Angle difference wrapped into :math:`[-\\pi, \\pi)`."""
    return torch.remainder(dphi + math.pi, 2 * math.pi) - math.pi


def edge_geometry(
    edge_index: torch.Tensor,
    r: torch.Tensor,
    phi: torch.Tensor,
    z: torch.Tensor,
    eta: torch.Tensor,
) -> torch.Tensor:
    """Scaled geometric edge features (see module docstring).

    Args:
        edge_index: ``[2, E]`` source (inner) and target (outer) node indices.
        r, phi, z, eta: ``[N]`` hit coordinates (mm, rad).

    Returns:
        ``[E, 6]`` float32 tensor with columns :data:`EDGE_FEATURE_NAMES`.
    """
    src, dst = edge_index[0], edge_index[1]
    r_i, r_j = r[src].float(), r[dst].float()
    dr = r_j - r_i
    dphi = wrap_phi(phi[dst].float() - phi[src].float())
    dz = z[dst].float() - z[src].float()
    deta = eta[dst].float() - eta[src].float()
    safe_dr = torch.where(dr.abs() < _MIN_DR, torch.full_like(dr, _MIN_DR).copysign(dr), dr)
    phi_slope = dphi / safe_dr
    z0 = z[src].float() - r_i * dz / safe_dr
    out = torch.stack((dr, dphi, dz, deta, phi_slope, z0), dim=1)
    out = out * out.new_tensor(_SCALES)
    return out.clamp_(-_CLIP, _CLIP)


def edge_geometry_from_data(data, edge_index: torch.Tensor | None = None) -> torch.Tensor:
    """:func:`edge_geometry` of a PyG ``Data``/``Batch`` holding ``r``, ``phi``, ``z``, ``eta``.

    Args:
        data: graph with node arrays ``r``, ``phi``, ``z``, ``eta`` (``[N]``).
        edge_index: edges to describe (default ``data.edge_index``).
    """
    missing = [name for name in ("r", "phi", "z", "eta") if getattr(data, name, None) is None]
    if missing:
        raise ValueError(f"graph lacks node array(s) {missing} needed for edge geometry features")
    edges = data.edge_index if edge_index is None else edge_index
    return edge_geometry(edges, data.r, data.phi, data.z, data.eta)
