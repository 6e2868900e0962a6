"""One concise log line per training epoch, instead of Lightning's progress bar (which
floods job logs) or nothing: the epoch, every logged metric of that epoch and its seconds."""

from __future__ import annotations

import logging
import math
import time

import lightning as L

log = logging.getLogger("trackgnn.training")


def quiet_lightning() -> None:
    """Lightning's own info lines ("GPU available...") once, through the root handler: its
    logger otherwise adds a handler of its own and every line appears twice in a job log."""
    for name in ("lightning.pytorch", "lightning.fabric", "lightning"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True


def format_metrics(metrics: dict) -> str:
    parts = []
    for key in sorted(metrics):
        value = metrics[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        parts.append(f"{key} {number:.4g}" if math.isfinite(number) else f"{key} {number}")
    return ", ".join(parts)


class EpochLine(L.Callback):
    """Logs ``<name> epoch 3/18: train_loss 0.23, val_loss 0.2, ... (12.3 s)`` after each epoch."""

    def __init__(self, name: str):
        self.name, self._start = name, None

    def on_train_epoch_start(self, trainer, pl_module) -> None:
        self._start = time.perf_counter()

    def on_train_epoch_end(self, trainer, pl_module) -> None:
        seconds = time.perf_counter() - (self._start or time.perf_counter())
        metrics = {k: v for k, v in trainer.callback_metrics.items() if not k.endswith("_step")}
        log.info(
            "%s epoch %d/%d: %s (%.1f s)",
            self.name,
            trainer.current_epoch + 1,
            trainer.max_epochs,
            format_metrics(metrics) or "no metrics",
            seconds,
        )
