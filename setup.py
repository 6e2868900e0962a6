"""Build of the one compiled part: the float32 k-d tree of the ``kdtree`` neighbour search and
the one-pass edge orientation of graph building.

Everything else is in pyproject.toml. The extension is optional: where no C++ compiler is
found the package installs without it, the ``kdtree`` backend falls back to scipy's cKDTree
(same neighbours, ~2.5x slower on full-size events) and edge cleaning to numpy (same edges). Plain ``-O3``, no
``-march=native``: a build on a cluster's login node must also run on its compute nodes.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "trackgnn.graph_construction.backends._kdknn",
            sources=[
                "src/trackgnn/graph_construction/backends/kdknn.cpp",
                "src/trackgnn/graph_construction/backends/edge_keys.cpp",
            ],
            language="c++",
            extra_compile_args=["-O3", "-std=c++17", "-pthread"],
            extra_link_args=["-pthread"],
            optional=True,
        ),
        # module-map doublets and triplet cuts (falls back to numpy, same edges); no FMA contraction, so that the
        # cut quantities round exactly as numpy computes them when the map is built
        Extension(
            "trackgnn.graph_construction.module_map._doublets",
            sources=[
                "src/trackgnn/graph_construction/module_map/doublets.cpp",
                "src/trackgnn/graph_construction/module_map/triplets.cpp",
            ],
            language="c++",
            extra_compile_args=["-O3", "-std=c++17", "-ffp-contract=off", "-pthread"],
            extra_link_args=["-pthread"],
            optional=True,
        ),
    ]
)
