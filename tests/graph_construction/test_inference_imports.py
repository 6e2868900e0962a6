"""Graph building loads the embedding without Lightning (its import cost ~5 s per job)."""

import subprocess
import sys


def test_load_model_and_embed_do_not_import_lightning(tmp_path):
    from trackgnn.config import stage_section, validate_config
    from trackgnn.graph_construction.base import EmbeddingBase
    from trackgnn.graph_construction.config import model_hparams
    from trackgnn.graph_construction.export import save_model

    save_model(
        EmbeddingBase(**model_hparams(stage_section(validate_config({}), "metric_learning"), 3, ["r", "phi", "z"])),
        tmp_path,
    )
    code = (
        "import sys, numpy as np\n"
        "from trackgnn.graph_construction.build import build_graphs\n"
        "from trackgnn.graph_construction.export import load_model\n"
        "from trackgnn.graph_construction.graph import embed\n"
        f"m = load_model({str(tmp_path)!r})\n"
        "assert embed(m, np.zeros((10, 3), np.float32)).shape == (10, 8)\n"
        "print(sorted(k for k in ('lightning', 'pytorch_lightning', 'torch_geometric') if k in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
