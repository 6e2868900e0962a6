"""The one GPU switch: resources.<class>.gpu > 0 turns into the jobs' devices; CPU is the
default; asking for a GPU where CUDA is missing is one clear error."""

from __future__ import annotations

import pytest
import torch

from tests.conftest import REPO
from trackgnn.config import load_config, validate_config
from trackgnn.gpu import apply_gpu_resources, check_accelerator, inference_device


def test_cpu_is_the_default():
    config = apply_gpu_resources(validate_config({}))
    assert all(config[s]["training"]["accelerator"] == "cpu" for s in ("metric_learning", "filtering", "gnn"))
    assert config["metric_learning"]["backend"] == "kdtree" and inference_device(config) == "cpu"


def test_training_gpus_reach_every_training():
    config = apply_gpu_resources(validate_config({"resources": {"training": {"gpu": 2}}}))
    for section in ("metric_learning", "filtering", "gnn"):
        assert config[section]["training"]["accelerator"] == "gpu"
        assert config[section]["training"]["devices"] == 2
    assert inference_device(config) == "cpu"


def test_an_explicit_accelerator_is_kept():
    config = validate_config({"resources": {"training": {"gpu": 1}}, "gnn": {"training": {"accelerator": "auto"}}})
    apply_gpu_resources(config)
    assert config["gnn"]["training"]["accelerator"] == "auto"
    assert config["filtering"]["training"]["accelerator"] == "gpu"


def test_inference_gpu_moves_scoring_and_neighbour_search():
    config = apply_gpu_resources(validate_config({"resources": {"inference": {"gpu": 1}}}))
    assert inference_device(config) == "cuda"
    assert config["metric_learning"]["backend"] in ("faiss", "torch")


def test_gpu_presets():
    for files in (["config/trackml_mu200.yaml"], ["config/config.yaml", "config/gpu.yaml"]):
        config = {}
        for name in files:
            config.update(load_config(REPO / name))
        assert config["resources"]["training"]["gpu"] >= 1


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error on machines without CUDA")
def test_gpu_without_cuda_is_one_clear_error():
    from trackgnn.training.trainer import build_trainer

    config = apply_gpu_resources(validate_config({"resources": {"training": {"gpu": 1}}}))
    with pytest.raises(
        ValueError, match=r"filtering.training.accelerator is 'gpu'.*torch.cuda.is_available\(\) is False"
    ):
        check_accelerator(config["filtering"]["training"], "filtering")
    with pytest.raises(ValueError, match="resources.training.gpu"):
        build_trainer(config["gnn"]["training"], "/nonexistent-not-written", "gnn")
