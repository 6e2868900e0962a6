import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from toy_events import write_toy_events  # noqa: E402


@pytest.fixture
def toy_dir(tmp_path):
    """Three toy events with truth and cells, plus detectors.csv."""
    write_toy_events(tmp_path, [0, 1, 2])
    return tmp_path
