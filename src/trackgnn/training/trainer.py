"""Build a Lightning ``Trainer`` from a stage's ``training`` config.

Every training stage gets the same behaviour: checkpoints (best + last) in the stage's
output folder, early stopping on the validation metric, CSV and TensorBoard logs, and
``accelerator``/``devices``/``strategy`` taken from config so the same rule trains on a
laptop CPU or on several GPUs of a SLURM node.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import lightning as L
from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger, TensorBoardLogger

from trackgnn.utils.atomic import atomic_write_text
from trackgnn.utils.jsonio import jsonable

#: Keys of a stage's ``training`` section the Trainer reads (their defaults: the schema).
TRAINER_KEYS = (
    "max_epochs",
    "accelerator",
    "devices",
    "strategy",
    "precision",
    "patience",
    "monitor",
    "mode",
    "log_every_n_steps",
    "gradient_clip_val",
)


log = logging.getLogger(__name__)


def last_checkpoint(out_dir: str | Path, fingerprint: dict | None = None) -> Path | None:
    """The ``last.ckpt`` a previous (interrupted) run left in ``out_dir/checkpoints``, if any.

    Args:
        fingerprint: what the training depends on (config section, input shards). When
            given, checkpoints written under another fingerprint are deleted instead of
            resumed (a config change must retrain, not continue an unrelated model), and
            the fingerprint is recorded for the run about to start.
    """
    folder = Path(out_dir) / "checkpoints"
    path = folder / "last.ckpt"
    if fingerprint is not None:
        stamp = folder / "fingerprint.json"
        text = json.dumps(jsonable(fingerprint), sort_keys=True, default=str)
        if folder.exists() and (not stamp.exists() or stamp.read_text() != text):
            log.warning("checkpoints in %s belong to another configuration: training afresh", folder)
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(stamp, text)
    if not path.exists():
        return None
    return path if usable_checkpoint(path) else None


def usable_checkpoint(path: Path) -> bool:
    """Whether ``path`` reads as a Lightning checkpoint (``weights_only=True``). An unreadable
    one (a disk filled or a copy cut short) is renamed to ``<name>.corrupt`` with a warning,
    so that the rerun trains from scratch instead of failing on it every time."""
    import torch

    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        problem = None if isinstance(ckpt, dict) and "state_dict" in ckpt else "no state_dict in it"
    except Exception as exc:  # torch raises several types for corrupt files
        problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    if problem is None:
        return True
    aside = path.with_name(path.name + ".corrupt")
    path.replace(aside)
    log.warning("checkpoint %s is unreadable (%s): moved to %s, training from scratch", path, problem, aside)
    return False


def input_stamps(paths) -> list:
    """``[path, size, mtime]`` of each input: part of a checkpoint fingerprint, so that a rerun
    on regenerated inputs retrains instead of "resuming" a finished training on stale data."""
    out = []
    for path in paths:
        stat = Path(path).stat()
        out.append([str(path), stat.st_size, stat.st_mtime_ns])
    return out


def build_trainer(training: dict, out_dir: str | Path, name: str, section_name: str | None = None) -> L.Trainer:
    """A Trainer writing checkpoints and logs below ``out_dir``.

    Args:
        training: the stage's ``training`` section of a validated config (keys of
            :data:`TRAINER_KEYS`, defaults filled by the schema; other keys ignored).
        out_dir: the stage's working folder (``checkpoints/``, ``logs/`` go there).
        name: the stage name used for the log folders.
        section_name: the config section named in errors (default ``name``; the log folders
            keep the model's name, ``embedding``/``filter``, when the section is renamed).

    Raises:
        ValueError: a key of :data:`TRAINER_KEYS` is missing (the config was not validated).
    """
    missing = [k for k in TRAINER_KEYS if k not in (training or {})]
    if missing:
        raise ValueError(
            f"{section_name or name}.training lacks {missing}: read the config with trackgnn.config.load_config "
            "(or validate_config), which fills the schema's defaults"
        )
    cfg = {k: training[k] for k in TRAINER_KEYS}
    from trackgnn.gpu import check_accelerator

    check_accelerator(cfg, section_name or name)
    out_dir = Path(out_dir)
    checkpoint = ModelCheckpoint(
        dirpath=out_dir / "checkpoints",
        filename="best",
        monitor=cfg["monitor"],
        mode=cfg["mode"],
        save_last=True,
        save_top_k=1,
    )
    from trackgnn.training.progress import EpochLine, quiet_lightning

    quiet_lightning()
    callbacks = [checkpoint, EpochLine(name)]
    if cfg["patience"]:
        callbacks.append(EarlyStopping(monitor=cfg["monitor"], mode=cfg["mode"], patience=cfg["patience"]))
    loggers = [
        CSVLogger(out_dir / "logs", name=name, version=0),
        TensorBoardLogger(out_dir / "logs", name=f"{name}_tb", version=0),
    ]
    return L.Trainer(
        max_epochs=cfg["max_epochs"],
        accelerator=cfg["accelerator"],
        devices=cfg["devices"],
        strategy=cfg["strategy"],
        precision=cfg["precision"],
        callbacks=callbacks,
        logger=loggers,
        log_every_n_steps=cfg["log_every_n_steps"],
        gradient_clip_val=cfg["gradient_clip_val"],
        default_root_dir=out_dir,
        enable_progress_bar=False,
        enable_model_summary=False,
        deterministic="warn",
    )
