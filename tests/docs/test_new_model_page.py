"""docs/new_model.md, step by step: the test takes the code and config from the page itself.

1. the model file of the page is written to a temporary folder and imported under the
   module name the page gives it (what placing it in ``src/trackgnn/gnn/models/`` does);
2. the page's import line is executed, which registers the model in ``GNN_MODELS``;
3. the page's YAML selects it: ``gnn_config`` + ``GNNBase.from_config`` build it;
4. the page's check script runs (forward pass on a tiny graph), then one training step.
"""

from __future__ import annotations

import importlib.util
import runpy
import sys

import pytest
import yaml

torch = pytest.importorskip("torch")
pytest.importorskip("torch_geometric")

PAGE = "new_model.md"
MODEL_FILE = "src/trackgnn/gnn/models/tiny_mpnn.py"
IMPORT_LINE = "src/trackgnn/gnn/models/__init__.py (add this line)"
CONFIG_FILE = "my_gnn.yaml"
CHECK_SCRIPT = "check_tiny_mpnn.py"


@pytest.fixture()
def page(titled_blocks):
    blocks = titled_blocks(PAGE)
    missing = {MODEL_FILE, IMPORT_LINE, CONFIG_FILE, CHECK_SCRIPT} - set(blocks)
    assert not missing, f"docs/{PAGE} lost its titled code blocks {sorted(missing)}"
    return {title: code for title, (_, code) in blocks.items()}


@pytest.fixture()
def installed_model(page, tmp_path):
    """Step 1 and 2: the page's file becomes module trackgnn.gnn.models.tiny_mpnn, and the
    page's import line registers it. Undone afterwards (registry entry and module)."""
    from trackgnn.gnn.registry import GNN_MODELS

    module_name = MODEL_FILE.removeprefix("src/").removesuffix(".py").replace("/", ".")
    path = tmp_path / "tiny_mpnn.py"
    path.write_text(page[MODEL_FILE])
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    before = set(GNN_MODELS.names())
    try:
        spec.loader.exec_module(module)
        namespace: dict = {}
        exec(compile(page[IMPORT_LINE], IMPORT_LINE, "exec"), namespace)  # the page's import line
        added = set(GNN_MODELS.names()) - before
        yield module, added, namespace
    finally:
        for name in set(GNN_MODELS.names()) - before:
            GNN_MODELS._items.pop(name, None)
        sys.modules.pop(module_name, None)


def test_page_model_registers_and_is_selected_by_config(page, installed_model):
    from trackgnn.gnn.base import GNNBase
    from trackgnn.gnn.config import gnn_config
    from trackgnn.gnn.registry import GNN_MODELS

    module, added, namespace = installed_model
    cfg = yaml.safe_load(page[CONFIG_FILE])
    name = cfg["gnn"]["model"]
    assert added == {name}, f"the page's file should register exactly '{name}', registered {sorted(added)}"
    cls = GNN_MODELS.get(name)
    assert cls.__module__ == module.__name__
    assert namespace[cls.__name__] is cls  # the import line imports the registered class

    section = gnn_config(cfg)
    model = GNNBase.from_config(section, node_features=3)
    assert isinstance(model.net, cls)
    for key, value in cfg["gnn"]["models"][name].items():
        assert getattr(model.hparams, "model_kwargs")[key] == value


def test_page_config_is_valid_for_the_workflow(page):
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
