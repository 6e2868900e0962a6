"""Hinge loss on squared embedding distance.

For a pair with :math:`d^2 = \\lVert e_i - e_j \\rVert^2` and label :math:`y`:

.. math::
    \\ell = y\\, d^2 + (1 - y)\\, \\max(0, m - d^2)

with margin :math:`m` (on the squared distance). Positives and negatives are averaged
separately and summed, :math:`L = w_+ \\langle \\ell \\rangle_+ + \\langle \\ell \\rangle_-`, so the
(much more numerous) negatives do not drown the true edges.
"""

from __future__ import annotations

import torch


def hinge_loss(
    emb: torch.Tensor, pairs: torch.Tensor, label: torch.Tensor, margin: float, pos_weight: float = 1.0
) -> torch.Tensor:
    """Args: ``emb`` [N, D], ``pairs`` int64 [2, P], ``label`` float [P]. Returns a scalar."""
    if pairs.shape[1] == 0:
        return emb.sum() * 0.0
    d2 = (emb[pairs[0]] - emb[pairs[1]]).pow(2).sum(-1)
    pos = label > 0.5
    loss = emb.new_zeros(())
    if pos.any():
        loss = loss + pos_weight * d2[pos].mean()
    if (~pos).any():
        loss = loss + torch.relu(margin - d2[~pos]).mean()
    return loss
