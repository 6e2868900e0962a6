"""The small event of tests/io/event_files.py written to a folder."""

import pytest

from tests.io.event_files import small_event
from trackgnn.io import write_event


@pytest.fixture
def event_dir(tmp_path):
    hits, cells, particles, truth = small_event()
    write_event(tmp_path, 7, hits=hits, cells=cells, particles=particles, truth=truth)
    return tmp_path
