"""Module identity between two numberings of one detector: official TrackML and ACTS.

The official TrackML ``detectors.csv`` and the ACTS ``GenericDetector`` (written as a
detectors table by :func:`trackgnn.simulation.geometry.detectors_table`) place the same
18,728 modules at the same positions (within a few microns), and number the barrel modules
alike, but number the modules of each endcap disk in a different order. This module
matches the two tables module by module, by position: within each (volume, layer) every
module of one table must have exactly one module of the other whose centre lies within a
tolerance, and no other one nearby (the closest neighbours are >= 11 mm apart). The result
is a mapping table ``volume_id, layer_id, module_official, module_acts`` and a
:class:`ModuleMap` that translates id arrays both ways.

The mapping is cached as a small CSV keyed by digests of both tables (see
:func:`module_identity`), so a process pays for the matching once per pair of geometries.

Anything that meets a real TrackML file with an ACTS- or module-keyed structure (the ACTS
CKF baseline, a module map built on simulated events) translates with
:func:`official_to_acts` / :meth:`ModuleMap.official_to_acts`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.errors import TrackMLFormatError

log = logging.getLogger(__name__)

#: Largest distance (mm) between the centres of one module in the two tables.
DEFAULT_TOLERANCE_MM = 1.0
#: Columns of the mapping table.
COLUMNS = ["volume_id", "layer_id", "module_official", "module_acts"]
#: Environment variable naming the cache folder (default: ``$XDG_CACHE_HOME/trackgnn`` or
#: ``~/.cache/trackgnn``); ``off`` disables the cache.
CACHE_ENV = "TRACKGNN_CACHE_DIR"
_CENTRE = ["cx", "cy", "cz"]


def _key(volume, layer, module) -> np.ndarray:
    """One int64 per module: volume * 1e9 + layer * 1e6 + module (as elsewhere in the project)."""
    return (
        np.asarray(volume, np.int64) * 1_000_000_000
        + np.asarray(layer, np.int64) * 1_000_000
        + np.asarray(module, np.int64)
    )


@dataclass(frozen=True)
class ModuleMap:
    """The mapping between official TrackML and ACTS module ids of one detector.

    Attributes:
        table: ``volume_id, layer_id, module_official, module_acts`` (int32), one row per
            module, sorted by the official key.
        official: the official detectors file the mapping was derived from (for messages).
    """

    table: pd.DataFrame
    official: str = "official detectors table"

    def __post_init__(self):
        t = self.table
        off = _key(t["volume_id"], t["layer_id"], t["module_official"])
        acts = _key(t["volume_id"], t["layer_id"], t["module_acts"])
        o_order, a_order = np.argsort(off, kind="stable"), np.argsort(acts, kind="stable")
        object.__setattr__(self, "_off_keys", off[o_order])
        object.__setattr__(self, "_off_to_acts", t["module_acts"].to_numpy(np.int32)[o_order])
        object.__setattr__(self, "_acts_keys", acts[a_order])
        object.__setattr__(self, "_acts_to_off", t["module_official"].to_numpy(np.int32)[a_order])

    def __len__(self) -> int:
        return len(self.table)

    @property
    def is_identity(self) -> bool:
        """True when both numberings agree on every module (e.g. simulated events)."""
        return bool((self.table["module_official"].to_numpy() == self.table["module_acts"].to_numpy()).all())

    @property
    def n_renumbered(self) -> int:
        """Modules whose ACTS id differs from the official one."""
        return int((self.table["module_official"].to_numpy() != self.table["module_acts"].to_numpy()).sum())

    def official_to_acts(self, volume, layer, module, source: str | Path | None = None) -> np.ndarray:
        """ACTS module ids (int32) of modules given by official (volume, layer, module) arrays.

        Raises:
            TrackMLFormatError: a module the mapping does not know; names the first such row
                (as a line of ``source``, a hits file with a header, when given).
        """
        return self._lookup(self._off_keys, self._off_to_acts, volume, layer, module, source, "official")

    def acts_to_official(self, volume, layer, module, source: str | Path | None = None) -> np.ndarray:
        """Official module ids (int32) of modules given by ACTS (volume, layer, module) arrays."""
        return self._lookup(self._acts_keys, self._acts_to_off, volume, layer, module, source, "ACTS")

    def _lookup(self, keys, values, volume, layer, module, source, numbering) -> np.ndarray:
        query = _key(volume, layer, module)
        if len(keys) == 0:
            pos = np.zeros(query.shape, np.int64)
            bad = np.ones(query.shape, bool)
        else:
            pos = np.clip(np.searchsorted(keys, query), 0, len(keys) - 1)
            bad = keys[pos] != query
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            v, l, m = (int(np.asarray(a).reshape(-1)[row]) for a in (volume, layer, module))
            where = f"line {row + 2}: " if source is not None else f"row {row}: "
            raise TrackMLFormatError(
                source,
                f"{where}module (volume {v}, layer {l}, module {m}) is not a module of the {numbering} "
                f"numbering of {self.official} ({int(bad.sum())} such row(s))",
            )
        return values[pos]


def match_modules(
    official: pd.DataFrame,
    acts: pd.DataFrame,
    tolerance_mm: float = DEFAULT_TOLERANCE_MM,
    official_name: str | Path = "official detectors table",
    acts_name: str = "ACTS GenericDetector",
) -> pd.DataFrame:
    """Match the modules of two detectors tables by (volume, layer) and centre position.

    Args:
        official: a detectors table (``volume_id, layer_id, module_id, cx, cy, cz`` at least),
            e.g. the official TrackML ``detectors.csv``.
        acts: the detectors table of the ACTS geometry.
        tolerance_mm: largest centre distance of a match; any second module of the other
            table within ``2 * tolerance_mm`` makes the match ambiguous.
        official_name: named in errors (a path: errors are about that file).
        acts_name: named in errors.

    Returns:
        ``volume_id, layer_id, module_official, module_acts`` (int32), sorted by the official
        key, one row per module: a bijection between the two tables.

    Raises:
        TrackMLFormatError: a (volume, layer) in one table only, a module with no partner
            within the tolerance (its centre and the nearest distance), an ambiguous match, or
            two modules matched to one.
    """
    from scipy.spatial import cKDTree

    source = Path(official_name) if isinstance(official_name, Path) else None
    label = "" if source is not None else f"{official_name}: "

    def fail(message: str):
        raise TrackMLFormatError(source, f"{label}{message} (matching against the {acts_name})")

    layers_off = official.groupby(["volume_id", "layer_id"]).indices
    layers_acts = acts.groupby(["volume_id", "layer_id"]).indices
    only_off = sorted(set(layers_off) - set(layers_acts))
    only_acts = sorted(set(layers_acts) - set(layers_off))
    if only_off or only_acts:
        fail(
            f"(volume, layer) {[tuple(map(int, k)) for k in (only_off or only_acts)][:5]} only in the "
            f"{'official table' if only_off else acts_name}; the two tables describe different detectors"
        )
    pieces = []
    for (volume, layer), rows_off in sorted(layers_off.items()):
        rows_acts = layers_acts[(volume, layer)]
        off = official.iloc[rows_off]
        act = acts.iloc[rows_acts]
        off_centres = off[_CENTRE].to_numpy(np.float64)
        act_centres = act[_CENTRE].to_numpy(np.float64)
        k = min(2, len(act))
        dist, idx = cKDTree(act_centres).query(off_centres, k=k)
        dist, idx = dist.reshape(len(off), k), idx.reshape(len(off), k)
        far = dist[:, 0] > tolerance_mm
        if far.any():
            i = int(np.flatnonzero(far)[0])
            m = int(off["module_id"].iat[i])
            fail(
                f"module (volume {volume}, layer {layer}, module {m}) at ({_xyz(off_centres[i])}) mm has no "
                f"module of the same layer within {tolerance_mm:g} mm (nearest {dist[i, 0]:.3g} mm: module "
                f"{int(act['module_id'].iat[idx[i, 0]])}); {int(far.sum())} unmatched module(s) in this layer"
            )
        if k > 1:
            close = dist[:, 1] <= 2 * tolerance_mm
            if close.any():
                i = int(np.flatnonzero(close)[0])
                m = int(off["module_id"].iat[i])
                fail(
                    f"module (volume {volume}, layer {layer}, module {m}) at ({_xyz(off_centres[i])}) mm matches "
                    f"more than one module: {int(act['module_id'].iat[idx[i, 0]])} at {dist[i, 0]:.3g} mm and "
                    f"{int(act['module_id'].iat[idx[i, 1]])} at {dist[i, 1]:.3g} mm; ambiguous"
                )
        target = idx[:, 0]
        taken, counts = np.unique(target, return_counts=True)
        if (counts > 1).any():
            j = int(taken[counts > 1][0])
            both = off["module_id"].to_numpy()[target == j][:2].tolist()
            fail(
                f"modules {both} of volume {volume}, layer {layer} both match module "
                f"{int(act['module_id'].iat[j])}; expected one module per position"
            )
        if len(taken) != len(act):
            free = np.setdiff1d(np.arange(len(act)), taken)
            i = int(free[0])
            fail(
                f"module (volume {volume}, layer {layer}, module {int(act['module_id'].iat[i])}) of the "
                f"{acts_name} at ({_xyz(act_centres[i])}) mm has no partner in the official table "
                f"({len(free)} such module(s) in this layer)"
            )
        pieces.append(
            pd.DataFrame(
                {
                    "volume_id": np.full(len(off), volume, np.int32),
                    "layer_id": np.full(len(off), layer, np.int32),
                    "module_official": off["module_id"].to_numpy(np.int32),
                    "module_acts": act["module_id"].to_numpy(np.int32)[target],
                }
            )
        )
    table = (
        pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame({c: np.zeros(0, np.int32) for c in COLUMNS})
    )
    return table.sort_values(["volume_id", "layer_id", "module_official"], ignore_index=True)


def _xyz(c) -> str:
    return ", ".join(f"{v:.1f}" for v in c)


def module_identity(
    official: str | Path | pd.DataFrame,
    acts: pd.DataFrame | None = None,
    cache_dir: str | Path | None | bool = True,
    tolerance_mm: float = DEFAULT_TOLERANCE_MM,
) -> ModuleMap:
    """The (cached) :class:`ModuleMap` between an official detectors table and the ACTS geometry.

    Args:
        official: the official ``detectors.csv[.gz]`` (or an already read table).
        acts: the ACTS detectors table (default: built from the ACTS GenericDetector).
        cache_dir: folder of the cache (``True``: the default cache folder, ``$TRACKGNN_CACHE_DIR``; ``None`` or
            ``False``: no cache). Entries are named by the digests of both tables and the
            tolerance, written atomically; an unreadable entry is recomputed and replaced.
        tolerance_mm: see :func:`match_modules`.
    """
    from trackgnn.io.detectors import read_detectors
    from trackgnn.io.module_identity_cache import default_cache_dir, read_cache, table_digest, write_cache

    name: str | Path = "official detectors table"
    if not isinstance(official, pd.DataFrame):
        name = Path(official)
        official = read_detectors(name)
    if acts is None:
        from trackgnn.simulation.geometry import detectors_table

        acts = detectors_table()
    folder = default_cache_dir() if cache_dir is True else (Path(cache_dir) if cache_dir else None)
    path = None
    if folder is not None:
        path = (
            folder
            / "module_identity"
            / (f"official-{table_digest(official)}-acts-{table_digest(acts)}-tol{tolerance_mm:g}mm.csv")
        )
        cached = read_cache(path, official, acts)
        if cached is not None:
            log.debug("module identity of %s from the cache %s", name, path)
            return ModuleMap(cached, str(name))
    table = match_modules(official, acts, tolerance_mm, name)
    if path is not None:
        write_cache(path, table)
    return ModuleMap(table, str(name))


def official_to_acts(
    volume, layer, module, official: str | Path | pd.DataFrame | ModuleMap, acts: pd.DataFrame | None = None
) -> np.ndarray:
    """ACTS module ids of official TrackML modules (arrays of volume, layer, module ids).

    ``official`` is the official ``detectors.csv[.gz]`` (mapping computed or read from the
    cache by :func:`module_identity`), a detectors table, or a :class:`ModuleMap`.
    """
    mapping = official if isinstance(official, ModuleMap) else module_identity(official, acts)
    return mapping.official_to_acts(volume, layer, module)
