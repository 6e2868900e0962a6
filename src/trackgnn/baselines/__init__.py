"""Classical reconstruction baselines scored against the GNN on the same events.

``acts_ckf``: ACTS grid-triplet seeding + combinatorial Kalman filter (pyacts), see
:func:`trackgnn.baselines.run.reconstruct_events` and the ``trackgnn acts-ckf`` command.
Modules import ACTS lazily, so importing this package is cheap.
"""

from trackgnn.baselines.config import ActsCkfConfig

__all__ = ["ActsCkfConfig"]
