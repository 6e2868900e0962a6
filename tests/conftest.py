"""Shared fixtures: where the real TrackML data lives (tests using it skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_TRACKML = REPO.parent / "shared" / "data" / "trackml"


@pytest.fixture(scope="session")
def real_trackml() -> Path:
    """The shared real TrackML folder (``train/``, ``test/``, ``detectors.csv.gz``)."""
    if not (SHARED_TRACKML / "detectors.csv.gz").exists():
        pytest.skip(f"real TrackML data not found at {SHARED_TRACKML}")
    return SHARED_TRACKML
