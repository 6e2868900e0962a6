"""Refuse non-finite numbers between stages.

A single NaN hit coordinate or a corrupt weight file turns into NaN embeddings or scores
that no later step notices: comparisons with NaN are false, so a NaN score drops an edge
at a cut, joins no track, and the run ends with exit 0 and a halved score. Every stage
checks the numbers it reads and writes with :func:`check_finite`, which names the file,
the event and how many values are bad.
"""

from __future__ import annotations

import numpy as np


class NonFiniteError(ValueError):
    """An array that must hold finite numbers holds NaN or inf."""


def count_non_finite(values) -> tuple[int, int, int]:
    """``(n_nan, n_inf, n_total)`` of an array (0, 0, n for integer or boolean arrays)."""
    array = np.asarray(values)
    if array.dtype.kind not in "fc":
        return 0, 0, int(array.size)
    n_nan = int(np.count_nonzero(np.isnan(array)))
    n_inf = int(np.count_nonzero(np.isinf(array)))
    return n_nan, n_inf, int(array.size)


def describe_bad(n_nan: int, n_inf: int) -> str:
    """``NaN``, ``inf`` or ``NaN or inf (12 NaN, 3 inf)``."""
    if n_inf == 0:
        return "NaN"
    if n_nan == 0:
        return "inf"
    return f"NaN or inf ({n_nan} NaN, {n_inf} inf)"


def check_finite(values, what: str, where: str, hint: str = "") -> None:
    """Raise :class:`NonFiniteError` if ``values`` holds NaN or inf.

    Args:
        values: a NumPy array or a tensor (moved to the CPU for the count).
        what: the values in words, plural ("edge scores", "node features 'x'").
        where: the file and event ("graphs/test-000.h5 event 3").
        hint: the likely cause, appended after a semicolon.

    The message reads ``"<where>: <n> of <total> <what> are NaN; <hint>"``.
    """
    if hasattr(values, "detach"):  # a torch tensor
        import torch

        n_bad = int((~torch.isfinite(values)).sum()) if values.is_floating_point() else 0
        if n_bad == 0:
            return
        values = values.detach().cpu().numpy()
    n_nan, n_inf, total = count_non_finite(values)
    if n_nan == 0 and n_inf == 0:
        return
    tail = f"; {hint}" if hint else ""
    raise NonFiniteError(f"{where}: {n_nan + n_inf} of {total} {what} are {describe_bad(n_nan, n_inf)}{tail}")
