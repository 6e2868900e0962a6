"""Reading and writing shards does not import torch_geometric (seconds per process); the PyG
helpers still resolve from ``trackgnn.data`` on first use."""

import subprocess
import sys

import pytest


def test_store_import_leaves_pyg_unloaded_and_pyg_helpers_load_on_use():
    code = (
        "import sys\n"
        "from trackgnn.data import read_store, write_store\n"
        "print('torch_geometric' in sys.modules)\n"
        "from trackgnn.data import arrays_to_data\n"
        "print('torch_geometric' in sys.modules, arrays_to_data.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "False"
    assert out[1] == "True trackgnn.data.pyg"


def test_unknown_attribute_is_an_attribute_error():
    import trackgnn.data

    with pytest.raises(AttributeError, match="no_such_thing"):
        trackgnn.data.no_such_thing  # noqa: B018
