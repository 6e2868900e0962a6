"""Filter architectures, one per file. Importing this package imports every module in it,
which registers their models in ``FILTER_MODELS``.

The package also spans a ``trackgnn/filtering/models/`` folder below any entry of
``sys.path`` (``PYTHONPATH``; :func:`~trackgnn.utils.registry.models_path`), as the GNN models do.
"""

from trackgnn.utils.registry import import_submodules, models_path

__path__ = models_path(__path__, __name__)

from trackgnn.filtering.models.mlp import MLPFilter  # noqa: E402

import_submodules(__name__)

__all__ = ["MLPFilter"]
