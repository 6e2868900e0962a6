import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "feature_store"))
sys.path.insert(0, str(Path(__file__).parent))

from tiny_config import TINY, full  # noqa: E402
from toy_events import write_toy_events  # noqa: E402


@pytest.fixture(scope="session")
def shards(tmp_path_factory):
    """Feature-store shards of toy events: train, val, and a raw (no truth) one."""
    from trackgnn.feature_store import build_feature_store

    root = tmp_path_factory.mktemp("gc")
    write_toy_events(root / "ev", [0, 1, 2, 3])
    write_toy_events(root / "raw", [5], truth=False)
    return {
        "train": build_feature_store(root / "ev", [0, 1], root / "train.h5", {}),
        "val": build_feature_store(root / "ev", [2, 3], root / "val.h5", {}),
        "raw": build_feature_store(root / "raw", [5], root / "raw.h5", {}),
        "root": root,
    }


@pytest.fixture(scope="session")
def trained(shards):
    """A tiny embedding trained for two epochs on the toy shards."""
    from trackgnn.graph_construction.train import train_embedding

    out = shards["root"] / "model"
    metrics = train_embedding(full(TINY), [shards["train"]], [shards["val"]], out)
    return out, metrics
