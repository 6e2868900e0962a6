"""Registered track-building methods, one per file."""
