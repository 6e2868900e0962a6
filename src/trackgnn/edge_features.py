"""Geometric features of candidate edges, shared by the edge filter and the GNN.

For an edge :math:`(i, j)` oriented inner to outer, with hit cylinder coordinates
:math:`(r, \\phi, z)` in mm and pseudorapidity :math:`\\eta`:

.. math::
    \\Delta r = r_j - r_i, \\quad \\Delta z = z_j - z_i, \\quad
    \\Delta\\phi = \\mathrm{wrap}(\\phi_j - \\phi_i) \\in [-\\pi, \\pi), \\quad
    \\Delta\\eta = \\eta_j - \\eta_i,

    s_\\phi = \\Delta\\phi \\, g(\\Delta r), \\qquad
    z_0 = z_i - r_i \\, \\Delta z \\, g(\\Delta r), \\qquad
    g(\\Delta r) = \\frac{\\Delta r}{\\Delta r^2 + \\epsilon^2}, \\qquad
    d = \\sqrt{\\Delta r^2 + (\\bar r \\Delta\\phi)^2 + \\Delta z^2} .

:math:`s_\\phi` is about :math:`q/(2R)` for a helix of radius :math:`R` (so
:math:`\\propto 1/p_T`) and :math:`z_0` is the intercept on the beam line; true edges
cluster at small values of both. :math:`g` is :math:`1/\\Delta r` regularised at
:math:`\\epsilon` = 0.5 mm: a plain :math:`1/\\Delta r` (clipped) turns the true edges between
overlapping modules of one endcap disk (:math:`\\Delta r` of a few microns, either sign)
into random :math:`\\pm` clip values, while :math:`g` sends them smoothly to 0. :math:`d` is
the hit separation (small for those overlap pairs). Features are scaled to order one and
clipped.
"""

from __future__ import annotations

import math

import torch

#: Names of the columns returned by :func:`edge_geometry`, in order.
EDGE_FEATURE_NAMES = ("dr", "dphi", "dz", "deta", "phi_slope", "z0", "dist")

#: Scale applied to each column (``dr``, ``dz``, ``z0`` in metres; ``phi_slope`` in rad/m;
#: ``dist`` in units of 100 mm).
_SCALES = (1e-3, 1.0, 1e-3, 1.0, 1e3, 1e-3, 1e-2)
_CLIP = 10.0
_EPS_DR = 0.5  # mm, regularisation of 1/dr


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
        ``[E, 7]`` float32 tensor with columns :data:`EDGE_FEATURE_NAMES`.
    """
    src, dst = edge_index[0], edge_index[1]
    r_i, r_j = r[src].float(), r[dst].float()
    dr = r_j - r_i
    dphi = wrap_phi(phi[dst].float() - phi[src].float())
    dz = z[dst].float() - z[src].float()
    deta = eta[dst].float() - eta[src].float()
    inv_dr = dr / (dr * dr + _EPS_DR**2)
    phi_slope = dphi * inv_dr
    z0 = z[src].float() - r_i * dz * inv_dr
    dist = torch.sqrt(dr * dr + (0.5 * (r_i + r_j) * dphi) ** 2 + dz * dz)
    out = torch.stack((dr, dphi, dz, deta, phi_slope, z0, dist), dim=1)
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
