import pytest
import torch

from trackgnn.utils.device import DeviceError, check_device


def test_cpu_is_accepted_and_nonsense_is_refused():
    assert check_device("cpu") == "cpu"
    with pytest.raises(DeviceError, match="'gpu0' is not a torch device"):
        check_device("gpu0")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_cuda():
    with pytest.raises(DeviceError, match=r"--device cuda requested but torch\.cuda\.is_available\(\) is False"):
        check_device("cuda")
    with pytest.raises(DeviceError, match="--device cuda:1 requested"):
        check_device("cuda:1")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_index_beyond_the_devices():
    assert check_device("cuda") == "cuda"
    n = torch.cuda.device_count()
    with pytest.raises(DeviceError, match=f"has {n} CUDA device"):
        check_device(f"cuda:{n}")
