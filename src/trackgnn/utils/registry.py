"""Name -> class registries, so a config string like ``gnn.model: interaction_network``
selects a model and a new model is one file with one decorator."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """A named collection of classes of one stage (``Registry("gnn")``)."""

    def __init__(self, stage: str):
        self.stage = stage
        self._items: dict[str, type[T]] = {}

    def register(self, name: str) -> Callable[[type[T]], type[T]]:
        """Class decorator adding the class under ``name``; a name may be taken only once."""

        def decorate(cls: type[T]) -> type[T]:
            if name in self._items and self._items[name] is not cls:
                raise ValueError(f"{self.stage} model '{name}' is already registered by {self._items[name]}")
            self._items[name] = cls
            return cls

        return decorate

    def get(self, name: str) -> type[T]:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"unknown {self.stage} model '{name}'; registered: {sorted(self._items)}") from None

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: str) -> bool:
        return name in self._items


def models_path(path: list[str], package: str) -> list[str]:
    """A models package's ``__path__`` spanning the same folder below every ``sys.path`` entry.

    ``path`` (the package's own folder) plus ``<entry>/<package as folders>`` for each entry
    of ``sys.path`` where that folder exists (once each), so that model files dropped into
    e.g. ``~/my_models/trackgnn/gnn/models/`` with ``PYTHONPATH=~/my_models`` are found
    without touching the installed tree. Used by the models packages as
    ``__path__ = models_path(__path__, __name__)``.
    """
    out = list(path)
    for entry in sys.path:
        folder = os.path.join(entry, *package.split(".")) if entry else ""
        if folder and os.path.isdir(folder) and not any(os.path.isdir(p) and os.path.samefile(folder, p) for p in out):
            out.append(folder)
    return out


def import_submodules(package: str) -> list[str]:
    """Import every module of a models package, so that a model file dropped into the folder
    registers itself: no import line to add anywhere. Modules whose name starts with ``_``
    are skipped. Returns the module names imported."""
    pkg = importlib.import_module(package)
    names = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package}.{info.name}")
            names.append(info.name)
    return names
