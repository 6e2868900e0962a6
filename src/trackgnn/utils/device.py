"""Check a ``--device`` option before any work: a CUDA device on a machine without one
otherwise fails deep inside torch with a long "Torch not compiled with CUDA enabled" or
driver traceback, after the model and the shard were read."""

from __future__ import annotations


class DeviceError(ValueError):
    """The requested torch device does not exist on this machine."""


def check_device(name: str) -> str:
    """``name`` if torch can use it here; otherwise a :class:`DeviceError` saying why.

    Accepts what ``torch.device`` accepts (``cpu``, ``cuda``, ``cuda:1``, ``mps``...).
    """
    import torch

    try:
        device = torch.device(name)
    except (RuntimeError, TypeError) as exc:
        raise DeviceError(f"--device {name!r} is not a torch device ({exc}); use cpu, cuda or cuda:N") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise DeviceError(
                f"--device {name} requested but torch.cuda.is_available() is False; "
                "run on a GPU node or with --device cpu"
            )
        count = torch.cuda.device_count()
        if device.index is not None and device.index >= count:
            raise DeviceError(
                f"--device {name} requested but this machine has {count} CUDA device(s) (cuda:0..cuda:{count - 1})"
            )
    elif device.type == "mps" and not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
        raise DeviceError(f"--device {name} requested but torch.backends.mps.is_available() is False")
    return name
