"""Build of the one compiled part, the float32 k-d tree of the ``kdtree`` neighbour search.

Everything else is in pyproject.toml. The extension is optional: where no C++ compiler is
found the package installs without it and the ``kdtree`` backend falls back to scipy's
cKDTree (same neighbours, ~2.5x slower on full-size events). Plain ``-O3``, no
``-march=native``: a build on a cluster's login node must also run on its compute nodes.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "trackgnn.graph_construction.backends._kdknn",
            sources=["src/trackgnn/graph_construction/backends/kdknn.cpp"],
            language="c++",
            extra_compile_args=["-O3", "-std=c++17", "-pthread"],
            extra_link_args=["-pthread"],
            optional=True,
        )
    ]
)
