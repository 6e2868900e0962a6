"""Reuse the toy shards of the filter tests."""

from tests.filtering.conftest import tiny_config, toy_shards  # noqa: F401
