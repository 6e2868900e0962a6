"""Name -> class registries, so a config string like ``gnn.model: interaction_network``
selects a model and a new model is one file with one decorator."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable, Generic, TypeVar

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
            raise KeyError(
                f"unknown {self.stage} model '{name}'; registered: {sorted(self._items)}"
            ) from None

    def names(self) -> list[str]:
        return sorted(self._items)

    def __contains__(self, name: str) -> bool:
        return name in self._items


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
