"""What the edge filter (:mod:`trackgnn.filtering`) and the GNN (:mod:`trackgnn.gnn`) share.

Both stages classify the edges of a graph shard with a plain ``nn.Module`` taken from the
stage's registry; this package holds everything around that module:

- :mod:`~trackgnn.edge_classifier.base`: the LightningModule base (loss, edge weights,
  learning-rate schedule, validation figures);
- :mod:`~trackgnn.edge_classifier.train`: training end to end (seed, data, Trainer, resume,
  export, validation figures, cut chosen for a target efficiency);
- :mod:`~trackgnn.edge_classifier.apply`: scoring the edges of shards (and removing those at
  or below a cut);
- :mod:`~trackgnn.edge_classifier.export`: weights-only model files and their integrity checks;
- :mod:`~trackgnn.edge_classifier.metrics`: efficiency, purity, ROC AUC;
- :mod:`~trackgnn.edge_classifier.cli`: the command-line arguments both stages take;
- :mod:`~trackgnn.edge_classifier.probe`: inference time and memory of the filter + GNN chain.

``filtering`` and ``gnn`` import from here and never from each other.
"""
