"""Shared Lightning plumbing: seeding and a Trainer built from a stage's config."""

from trackgnn.training.seed import seed_everything
from trackgnn.training.trainer import build_trainer, input_stamps, last_checkpoint

__all__ = ["build_trainer", "input_stamps", "last_checkpoint", "seed_everything"]
