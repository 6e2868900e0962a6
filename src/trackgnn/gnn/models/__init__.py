"""GNN architectures, one per file. Importing this package imports every module in it, which
registers their models in ``GNN_MODELS``: a new model is a new file here, nothing else.

The package also spans a ``trackgnn/gnn/models/`` folder below any entry of ``sys.path``
(``PYTHONPATH``; :func:`~trackgnn.utils.registry.models_path`), so a model file can live outside the
installed source tree and still be found (the config checks look there too).
"""

from trackgnn.utils.registry import import_submodules, models_path

__path__ = models_path(__path__, __name__)

from trackgnn.gnn.models.attention import AttentionGNN  # noqa: E402
from trackgnn.gnn.models.interaction_network import InteractionNetwork  # noqa: E402

import_submodules(__name__)

__all__ = ["AttentionGNN", "InteractionNetwork"]
