import subprocess
import sys

import numpy as np
import pytest
import torch

from trackgnn.data.tensors import EventGraph


def arrays(n=5, e=4):
    rng = np.random.default_rng(0)
    out = {k: rng.normal(size=n) for k in ("r", "phi", "z", "eta")}
    out.update(x=rng.normal(size=(n, 3)), edge_index=rng.integers(0, n, (2, e)).astype(np.int32), hit_id=np.arange(n))
    return out


def test_from_arrays_types_and_device_copy():
    g = EventGraph.from_arrays(arrays())
    assert g.x.dtype == torch.float32 and g.edge_index.dtype == torch.int64 and g.num_nodes == 5
    assert torch.equal(g.to("cpu").edge_index, g.edge_index)


def test_errors_name_the_event_and_the_array():
    a = arrays()
    del a["eta"]
    with pytest.raises(ValueError, match=r"f.h5: event 7 lacks array\(s\) \['eta'\]"):
        EventGraph.from_arrays(a, "f.h5: event 7")
    a = arrays()
    a["edge_index"] = a["edge_index"][0]
    with pytest.raises(ValueError, match=r"edge_index must be integers of shape \[2, E\]"):
        EventGraph.from_arrays(a, "f.h5: event 7")


def test_scoring_imports_neither_pyg_nor_lightning():
    """Inference jobs (filter-graphs, score-edges) pay neither import (~4 s and ~5 s)."""
    code = (
        "import sys, numpy as np, torch\n"
        "from trackgnn.data.tensors import EventGraph\n"
        "from trackgnn.edge_classifier.apply import score_edges\n"
        "from trackgnn.gnn.registry import GNN_MODELS\n"
        "import trackgnn.gnn.models\n"
        "rng = np.random.default_rng(0)\n"
        "a = {k: rng.normal(size=6) for k in ('r', 'phi', 'z', 'eta')}\n"
        "a.update(x=rng.normal(size=(6, 3)), edge_index=np.array([[0, 1, 2], [1, 2, 3]]))\n"
        "for name in GNN_MODELS.names():\n"
        "    net = GNN_MODELS.get(name)(node_features=3, edge_features=0).eval()\n"
        "    s = score_edges(net, {'edge_features': False}, EventGraph.from_arrays(a))\n"
        "    assert s.shape == (3,) and ((s > 0) & (s < 1)).all()\n"
        "print(sorted(k for k in ('lightning', 'torch_geometric') if k in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
