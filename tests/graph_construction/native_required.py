"""Tests of the compiled extension: skipped where it is not built, unless the run requires it."""

import os

import pytest


def require_native():
    """Skip where the optional extension is not built, unless the run requires it (``make test``
    sets TRACKGNN_REQUIRE_NATIVE=1: the project's own install always compiles it, and a silent
    fallback to scipy would cost 2x in graph construction)."""
    from trackgnn.graph_construction.backends import native

    if not native.available():
        if os.environ.get("TRACKGNN_REQUIRE_NATIVE") == "1":
            pytest.fail(f"the compiled extension is required but not built: {native.missing_reason()}")
        pytest.skip(f"compiled extension not built: {native.missing_reason()}")
