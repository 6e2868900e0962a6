"""NaN embeddings stop build-graphs and the efficiency curve, naming shard and event."""

import pytest
import torch
from tiny_config import TINY, full, section

from trackgnn.graph_construction.base import EmbeddingBase
from trackgnn.graph_construction.build import build_graphs
from trackgnn.graph_construction.config import model_hparams
from trackgnn.graph_construction.curve import efficiency_curve
from trackgnn.graph_construction.export import save_model
from trackgnn.utils.finite import NonFiniteError


def test_nan_embeddings_are_refused(shards, tmp_path):
    torch.manual_seed(0)
    model = EmbeddingBase(**model_hparams(section(TINY), 3, ["r", "phi", "z"])).eval()
    with torch.no_grad():
        next(model.parameters())[0, 0] = float("nan")  # one NaN weight: every embedding is NaN
    save_model(model, tmp_path / "model")  # exported with a valid checksum: only the numbers are wrong
    out = tmp_path / "g.h5"
    hint = "the embedding model in .* or the node features are corrupt"
    with pytest.raises(NonFiniteError, match=rf"{shards['val']} event \d+: \d+ of \d+ embeddings are NaN; {hint}"):
        build_graphs(full(TINY), tmp_path / "model", shards["val"], out, tmp_path / "m.json")
    assert not out.exists() and not (tmp_path / "m.json").exists()
    with pytest.raises(NonFiniteError, match=rf"{shards['val']} event \d+: .* embeddings are NaN"):
        efficiency_curve(full(TINY), tmp_path / "model", shards["val"])
