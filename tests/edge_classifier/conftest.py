"""Toy graph shards shared by the edge-classifier, filter and GNN tests (built once per session)."""

import pytest

from tests.edge_classifier.toy import write_toy_shards


@pytest.fixture(scope="session")
def toy_shards(tmp_path_factory):
    """Small toy events (~1k hits each): {'train': [...], 'val': [...], 'test': [...]}."""
    out = tmp_path_factory.mktemp("toy")
    return write_toy_shards(out, {"train": 4, "val": 2, "test": 2}, seed=3, events_per_shard=4, n_particles=100)


def tiny_config(stage: str, **overrides) -> dict:
    """A partial config (what a user's YAML holds) training ``stage`` for one short epoch."""
    training = {"max_epochs": 1, "num_threads": 1, "warmup_steps": 2, "patience": 0}
    return {stage: {"training": training, **overrides}}
