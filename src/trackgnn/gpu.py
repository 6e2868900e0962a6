"""One GPU switch: ``resources.<class>.gpu > 0`` makes that class's jobs use CUDA.

The ``resources`` section says what a job is given (``sbatch --gpus``); this module turns it
into what the job's command then does, so a GPU is never requested without being used:

- ``resources.training.gpu = N``: every training (embedding, filter, GNN) runs on Lightning's
  ``gpu`` accelerator with ``N`` devices (unless its ``training`` section already names
  another accelerator or device count);
- ``resources.inference.gpu > 0``: the filter and GNN score edges on ``cuda`` (the rules' ``--device``),
  and the ``kdtree`` neighbour search becomes ``faiss`` (a GPU index when faiss-gpu is installed)
  or, without FAISS, ``torch`` (blocked brute force on the GPU).

CPU stays the default. Asking for a GPU where CUDA is missing fails when the job starts, with
one line (:func:`check_accelerator`, :func:`trackgnn.utils.device.check_device`).
"""

from __future__ import annotations

from collections.abc import MutableMapping

TRAINED = ("metric_learning", "filtering", "gnn")


def faiss_has_gpu() -> bool:
    try:
        import faiss
    except ImportError:
        return False
    return hasattr(faiss, "StandardGpuResources") and getattr(faiss, "get_num_gpus", lambda: 0)() > 0


def apply_gpu_resources(config: MutableMapping) -> MutableMapping:
    """Fill the stages' device settings from ``resources`` (in place; returns ``config``)."""
    training_gpus = int(config["resources"]["training"].get("gpu", 0) or 0)
    if training_gpus > 0:
        for section in TRAINED:
            training = config[section]["training"]
            if training.get("accelerator", "cpu") == "cpu":
                training["accelerator"] = "gpu"
                if training.get("devices", 1) == 1:
                    training["devices"] = training_gpus
    if (
        int(config["resources"]["inference"].get("gpu", 0) or 0) > 0
        and config["metric_learning"]["backend"] == "kdtree"
    ):
        config["metric_learning"]["backend"] = "faiss" if faiss_has_gpu() else "torch"
    return config


def inference_device(config) -> str:
    """The torch device of the inference jobs (the rules' ``--device``)."""
    return "cuda" if int(config["resources"]["inference"].get("gpu", 0) or 0) > 0 else "cpu"


def check_accelerator(training: dict, name: str) -> None:
    """A GPU accelerator where CUDA is missing: one clear error before Lightning starts."""
    import torch

    if str(training.get("accelerator", "cpu")) in ("gpu", "cuda") and not torch.cuda.is_available():
        raise ValueError(
            f"{name}.training.accelerator is {training['accelerator']!r} (resources.training.gpu > 0) but "
            "torch.cuda.is_available() is False: run the training on a GPU node, or set resources.training.gpu: 0"
        )
