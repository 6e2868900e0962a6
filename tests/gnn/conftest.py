"""Reuse the toy shards of the edge-classifier tests."""

from tests.edge_classifier.conftest import tiny_config, toy_shards  # noqa: F401
