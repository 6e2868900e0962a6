"""A tiny embedding config so that tests train in seconds."""

TINY = {
    "embedding": {
        "hidden": 16, "depth": 2, "emb_dim": 4, "knn_train": 5, "random_pairs": 1.0, "radius": 0.3,
        "knn": 20, "threads": 1, "curve_radii": [0.1, 0.3, 0.6],
        "training": {"max_epochs": 2, "patience": 0},
    }
}
