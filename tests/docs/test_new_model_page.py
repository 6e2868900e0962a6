"""docs/new_model.md, step by step: the test takes the code and config from the page itself.

1. the model file of the page is written into a ``trackgnn/gnn/models/`` folder below a
   temporary ``sys.path`` entry (the models package spans such folders: ``models_path``),
   never into the source tree;
2. the page's registry check runs in a fresh interpreter (that folder on ``PYTHONPATH``) and
   lists the new model: dropping the file in is enough; in this process the package's
   discovery registers it, and the config checks know the name;
3. the page's YAML selects it: ``validate_config`` + ``GNNBase.from_config`` build it;
4. the page's check script runs (forward pass on a tiny graph), then one training step.
"""

from __future__ import annotations

import os
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
def installed_model(page, tmp_path, monkeypatch):
    """Steps 1 and 2: the page's file is dropped into a models folder outside the source tree
    and discovered. Undone afterwards (sys.path, package path, registry entry, module)."""
    import trackgnn.gnn.models as models_package
    from trackgnn.config_checks import registered_names
    from trackgnn.gnn.registry import GNN_MODELS
    from trackgnn.utils.registry import import_submodules, models_path

    source_folder = Path(models_package.__file__).parent
    name = Path(MODEL_FILE).stem
    assert Path(MODEL_FILE).parent.as_posix().endswith("trackgnn/gnn/models"), MODEL_FILE
    assert name not in registered_names("gnn/models"), f"a model file '{name}' exists already"
    folder = tmp_path / "plugins" / "trackgnn" / "gnn" / "models"
    folder.mkdir(parents=True)
    (folder / Path(MODEL_FILE).name).write_text(page[MODEL_FILE])
    module_name = f"{models_package.__name__}.{name}"
    before = set(GNN_MODELS.names())
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    monkeypatch.setattr(models_package, "__path__", models_path(models_package.__path__, models_package.__name__))
    try:
        check = shlex.split(page[REGISTRY_CHECK].strip())
        assert check[0] == ".venv/bin/python"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path / "plugins"), os.environ.get("PYTHONPATH")])),
        }
        listed = subprocess.run([sys.executable, *check[1:]], capture_output=True, text=True, timeout=120, env=env)
        assert listed.returncode == 0, listed.stderr[-2000:]
        import_submodules(models_package.__name__)  # what a fresh import of the package does
        added = set(GNN_MODELS.names()) - before
        yield sys.modules[module_name], added, listed.stdout
    finally:
        for registered in set(GNN_MODELS.names()) - before:
            GNN_MODELS._items.pop(registered, None)
        sys.modules.pop(module_name, None)
    assert not (source_folder / Path(MODEL_FILE).name).exists(), "the test wrote into the source tree"


def test_page_model_registers_and_is_selected_by_config(page, installed_model):
    from trackgnn.config import stage_section, validate_config
    from trackgnn.config_checks import registered_names
    from trackgnn.gnn.base import GNNBase
    from trackgnn.gnn.registry import GNN_MODELS

    module, added, listed = installed_model
    cfg = yaml.safe_load(page[CONFIG_FILE])
    name = cfg["gnn"]["model"]
    assert added == {name}, f"the page's file should register exactly '{name}', registered {sorted(added)}"
    cls = GNN_MODELS.get(name)
    assert cls.__module__ == module.__name__
    assert repr(name) in listed  # the page's check, in a fresh interpreter, lists it
    assert name in registered_names("gnn/models")  # the config checks know it without importing it

    section = stage_section(validate_config(cfg), "gnn")
    model = GNNBase.from_config(section, node_features=3)
    assert isinstance(model.net, cls)
    for key, value in cfg["gnn"]["models"][name].items():
        assert model.hparams.model_kwargs[key] == value


def test_page_config_is_valid_for_the_workflow(page, installed_model):
    """Valid once the page's model file is in place (model names are checked at config time)."""
    from trackgnn.config import load_schema, validate_config

    schema = load_schema()
    if "gnn" not in schema.get("properties", {}):
        pytest.skip("the workflow schema has no 'gnn' section yet")
    validate_config(yaml.safe_load(page[CONFIG_FILE]), schema, source=f"docs/{PAGE}")


def test_page_check_script_runs_and_model_trains(page, installed_model, tmp_path, monkeypatch, capsys):
    from trackgnn.config import stage_section, validate_config
    from trackgnn.gnn.base import GNNBase

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
    section = stage_section(validate_config(yaml.safe_load(page[CONFIG_FILE])), "gnn")
    model = GNNBase.from_config(section, node_features=3)
    graph.y = torch.tensor([True, True, False])
    graph.target_edge = torch.tensor([True, True, False])
    edges, labels, weights = model.training_edges(graph)
    loss = model.loss(model(graph, edges), labels, weights)
    loss.backward()
    grads = [p.grad for p in model.net.parameters() if p.requires_grad]
    assert torch.isfinite(loss) and all(g is not None for g in grads)
