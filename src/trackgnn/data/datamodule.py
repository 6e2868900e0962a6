"""A LightningDataModule serving per-event PyG graphs from HDF5 shards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import lightning as L
from torch_geometric.data import Data
from torch_geometric.loader import DataLoader

from trackgnn.data.pyg import arrays_to_data
from trackgnn.data.store import read_store


def load_shards(paths: Iterable[str | Path], names: Sequence[str] | None = None) -> list[Data]:
    """All events of the given shards as PyG ``Data`` (sorted by event id within a shard)."""
    graphs = []
    for path in paths:
        _, events = read_store(path, names)
        graphs.extend(arrays_to_data(arrays, event_id) for event_id, arrays in events.items())
    return graphs


class GraphDataModule(L.LightningDataModule):
    """Train/val/test splits of events, each a list of HDF5 shard paths.

    Events are small enough (a few thousand to ~100k hits) to keep a split in memory; one
    event is one graph and ``batch_size`` graphs are merged by PyG's loader.

    Args:
        train, val, test: shard paths of each split (test may be empty).
        batch_size: events per step.
        names: arrays to load (``None``: all).
    """

    def __init__(
        self,
        train: Sequence[str | Path],
        val: Sequence[str | Path],
        test: Sequence[str | Path] = (),
        batch_size: int = 1,
        names: Sequence[str] | None = None,
    ):
        super().__init__()
        self.paths = {"train": list(train), "val": list(val), "test": list(test)}
        self.batch_size = batch_size
        self.names = names
        self.graphs: dict[str, list[Data]] = {}

    def setup(self, stage: str | None = None) -> None:
        for split, paths in self.paths.items():
            if split not in self.graphs:
                self.graphs[split] = load_shards(paths, self.names)

    def _loader(self, split: str, shuffle: bool) -> DataLoader:
        self.setup()
        return DataLoader(self.graphs[split], batch_size=self.batch_size, shuffle=shuffle)

    def train_dataloader(self) -> DataLoader:
        return self._loader("train", shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return self._loader("val", shuffle=False)

    def test_dataloader(self) -> DataLoader:
        return self._loader("test", shuffle=False)
