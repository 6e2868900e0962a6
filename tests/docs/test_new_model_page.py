"""docs/new_model.md, step by step: the test takes the code and config from the page itself.

1. the model file of the page is written where the page says, into the installed
   ``trackgnn/gnn/models/`` folder (removed afterwards);
2. the page's registry check runs in a fresh interpreter and lists the new model: dropping
   the file in is enough; in this process the package's discovery registers it;
3. the page's YAML selects it: ``gnn_config`` + ``GNNBase.from_config`` build it;
4. the page's check script runs (forward pass on a tiny graph), then one training step.
"""

from __future__ import annotations

import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

torch = pytest.importorskip("torch")
pytest.importorskip("torch_geometric")

PAGE = "new_model.md"
MODEL_FILE = "src/trackgnn/gnn/models/tiny_mpnn.py"
REGISTRY_CHECK = "check the registry"
CONFIG_FILE = "my_gnn.yaml"
CHECK_SCRIPT = "check_tiny_mpnn.py"


@pytest.fixture()
def page(titled_blocks):
    blocks = titled_blocks(PAGE)
    missing = {MODEL_FILE, REGISTRY_CHECK, CONFIG_FILE, CHECK_SCRIPT} - set(blocks)
    assert not missing, f"docs/{PAGE} lost its titled code blocks {sorted(missing)}"
    return {title: code for title, (_, code) in blocks.items()}


@pytest.fixture()
def installed_model(page):
    """Steps 1 and 2: the page's file is placed in the models folder and discovered. Undone
    afterwards (file, registry entry, module)."""
    import trackgnn.gnn.models as models_package
    from trackgnn.gnn.registry import GNN_MODELS
    from trackgnn.utils.registry import import_submodules

    path = Path(models_package.__path__[0]) / Path(MODEL_FILE).name
    if path.exists():
        pytest.skip(f"{path} exists already (a user's file); not overwriting it")
    module_name = f"{models_package.__name__}.{path.stem}"
    before = set(GNN_MODELS.names())
    try:
        path.write_text(page[MODEL_FILE])
        check = shlex.split(page[REGISTRY_CHECK].strip())
        assert check[0] == ".venv/bin/python"
        listed = subprocess.run([sys.executable, *check[1:]], capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr[-2000:]
        import_submodules(models_package.__name__)  # what a fresh import of the package does
        added = set(GNN_MODELS.names()) - before
        yield sys.modules[module_name], added, listed.stdout
    finally:
        path.unlink(missing_ok=True)
        for name in set(GNN_MODELS.names()) - before:
            GNN_MODELS._items.pop(name, None)
        sys.modules.pop(module_name, None)


def test_page_model_registers_and_is_selected_by_config(page, installed_model):
    from trackgnn.gnn.base import GNNBase
    from trackgnn.gnn.config import gnn_config
    from trackgnn.gnn.registry import GNN_MODELS

    module, added, listed = installed_model
    cfg = yaml.safe_load(page[CONFIG_FILE])
    name = cfg["gnn"]["model"]
    assert added == {name}, f"the page's file should register exactly '{name}', registered {sorted(added)}"
    cls = GNN_MODELS.get(name)
    assert cls.__module__ == module.__name__
    assert repr(name) in listed  # the page's check, in a fresh interpreter, lists it

    section = gnn_config(cfg)
    model = GNNBase.from_config(section, node_features=3)
    assert isinstance(model.net, cls)
    for key, value in cfg["gnn"]["models"][name].items():
        assert getattr(model.hparams, "model_kwargs")[key] == value


def test_page_config_is_valid_for_the_workflow(page, installed_model):
    """Valid once the page's model file is in place (model names are checked at config time)."""
    from trackgnn.config import load_schema, validate_config

    schema = load_schema()
    if "gnn" not in schema.get("properties", {}):
        pytest.skip("the workflow schema has no 'gnn' section yet")
    validate_config(yaml.safe_load(page[CONFIG_FILE]), schema, source=f"docs/{PAGE}")


def test_page_check_script_runs_and_model_trains(page, installed_model, tmp_path, monkeypatch, capsys):
    from trackgnn.gnn.base import GNNBase
    from trackgnn.gnn.config import gnn_config

    (tmp_path / CONFIG_FILE).write_text(page[CONFIG_FILE])
    (tmp_path / CHECK_SCRIPT).write_text(page[CHECK_SCRIPT])
    monkeypatch.chdir(tmp_path)
    torch.manual_seed(0)
    namespace = runpy.run_path(str(tmp_path / CHECK_SCRIPT))  # step 4 of the page, as written
    assert "tensor(" in capsys.readouterr().out
    graph = namespace["graph"]
    scores = torch.sigmoid(namespace["model"](graph))
    assert scores.shape == (graph.edge_index.shape[1],)
    assert torch.isfinite(scores).all()

    # and it trains: one optimiser step through GNNBase's loss on labelled edges
    model = GNNBase.from_config(gnn_config(yaml.safe_load(page[CONFIG_FILE])), node_features=3)
    graph.y = torch.tensor([True, True, False])
    graph.target_edge = torch.tensor([True, True, False])
    edges, labels, weights = model.training_edges(graph)
    loss = model.loss(model(graph, edges), labels, weights)
    loss.backward()
    grads = [p.grad for p in model.net.parameters() if p.requires_grad]
    assert torch.isfinite(loss) and all(g is not None for g in grads)
