"""The module map and its HDF5 file.

File layout (format ``trackgnn-module-map``, :data:`FORMAT_VERSION`):

- attributes on ``/`` (JSON): ``format``, ``format_version``, ``geometry_digest`` (of the
  detectors table the map was built for), ``quantities`` (column names), ``pt_min`` (GeV),
  ``margin``, ``n_events``, ``n_doublets``, ``rotation``, ``mirror`` (pooling used),
  ``n_canonical`` (pooled pairs before expansion), ``n_modules`` (modules in a pair) of
  ``n_geometry_modules``;
- ``pairs`` int64 [P, 2]: module keys (inner, outer) (``volume*1e9 + layer*1e6 + module``);
- ``lo``, ``hi`` float64 [P, Q]: min and max of each quantity over the pooled doublets,
  margin *not* applied; ``count`` int64 [P]: doublets pooled into the pair's range;
- ``geometry_key`` int64 [M], ``geometry_centre`` float64 [M, 3]: every module of the
  geometry the map was built for and its centre (mm), so that the map can be carried over
  to another numbering of the same modules (:mod:`.remap`);
- optional (a map built with ``module_map.triplets``; attribute ``triplet_quantities``):
  ``triples`` int64 [T, 3] module keys (inner, middle, outer) of the module triples seen in
  truth, sorted; ``triplet_lo``, ``triplet_hi`` float64 [T, 3] min / max of the triplet
  quantities (:mod:`.triplets`), margin *not* applied (attribute ``triplet_margin`` is the
  default one); ``triplet_count`` int64 [T]. Attribute ``triplet_granularity``: ``module``
  (``triples`` are module keys) or ``ring`` (ring indices of ``geometry_ring``);
- ``geometry_ring`` int64 [M] (version 2): the ring (:class:`.geometry.ModuleGeometry`) of
  each module of ``geometry_key``, -1 where unknown.

Version history: 1 had no triplet datasets. A version-1 file is still read, as a map without
triplets (its datasets are those of version 2), and logged; asking it for triplet cuts is a
:class:`ModuleMapError` naming the file.

A doublet passes a pair when every quantity :math:`q` lies in
:math:`[\\min_q - m w_q, \\max_q + m w_q]`, :math:`w_q = \\max_q - \\min_q`, :math:`m` = margin.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from trackgnn.utils.atomic import atomic_path

log = logging.getLogger(__name__)

FORMAT = "trackgnn-module-map"
FORMAT_VERSION = 2
#: Older versions this trackgnn still reads (as maps without triplets).
READABLE_VERSIONS = (1, 2)
DATASETS = ("pairs", "lo", "hi", "count", "geometry_key", "geometry_centre")
TRIPLET_DATASETS = ("triples", "triplet_lo", "triplet_hi", "triplet_count")


class ModuleMapError(ValueError):
    """A module-map file is missing, unreadable, of another version or for another geometry."""


@dataclass
class ModuleMap:
    """Module pairs and the ranges of their doublet quantities.

    Attributes:
        pairs: int64 [P, 2] module keys (inner, outer), sorted, unique.
        lo, hi: float64 [P, Q] raw min / max per quantity.
        count: int64 [P] doublets per pair (pooled).
        attrs: metadata (see the module docs).
        geometry_key, geometry_centre: int64 [M] and float64 [M, 3], the modules of the
            map's geometry and their centres.
    """

    pairs: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    count: np.ndarray
    attrs: dict = field(default_factory=dict)
    geometry_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    geometry_centre: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    geometry_ring: np.ndarray | None = None
    triples: np.ndarray | None = None
    triplet_lo: np.ndarray | None = None
    triplet_hi: np.ndarray | None = None
    triplet_count: np.ndarray | None = None

    @property
    def has_triplets(self) -> bool:
        """Whether the map holds triplet ranges."""
        return self.triples is not None

    def triplet_bounds(self, margin: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) float64 [T, 3] triplet bounds with the margin (default: the map's
        ``triplet_margin``) added on each side.

        Raises:
            ModuleMapError: the map has no triplet ranges.
        """
        if not self.has_triplets:
            raise ModuleMapError(
                f"{self.attrs.get('path', 'module map')}: no triplet ranges in this map (built without "
                "module_map.triplets, or a version-1 file): rebuild it with module_map.triplets: true"
            )
        m = float(self.attrs.get("triplet_margin", 0.0) if margin is None else margin)
        return _padded(self.triplet_lo, self.triplet_hi, m)

    def bounds(self, margin: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) float64 [P, Q] with the margin (default: the map's) added on each side."""
        return _padded(self.lo, self.hi, float(self.attrs.get("margin", 0.0) if margin is None else margin))

    @property
    def modules(self) -> np.ndarray:
        """int64 sorted unique module keys appearing in any pair."""
        return np.unique(self.pairs)


def _padded(lo: np.ndarray, hi: np.ndarray, m: float) -> tuple[np.ndarray, np.ndarray]:
    """``lo - m w, hi + m w`` with ``w = hi - lo`` (inf when a range spans the largest floats)."""
    with np.errstate(over="ignore", invalid="ignore"):
        width = hi - lo
        pad = m * width if m > 0 else np.zeros_like(width)  # never 0 * inf = NaN, which rejects all
        return lo - pad, hi + pad


def save_map(path: str | Path, mmap: ModuleMap) -> Path:
    """Write ``mmap`` to ``path`` atomically."""
    path = Path(path)
    attrs = {**mmap.attrs, "format": FORMAT, "format_version": FORMAT_VERSION}
    attrs.pop("path", None)  # where a loaded map came from, not part of the map
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            for key, value in attrs.items():
                f.attrs[key] = json.dumps(value)
            f.create_dataset("pairs", data=np.asarray(mmap.pairs, np.int64))
            f.create_dataset("lo", data=np.asarray(mmap.lo, np.float64))
            f.create_dataset("hi", data=np.asarray(mmap.hi, np.float64))
            f.create_dataset("count", data=np.asarray(mmap.count, np.int64))
            f.create_dataset("geometry_key", data=np.asarray(mmap.geometry_key, np.int64))
            f.create_dataset("geometry_centre", data=np.asarray(mmap.geometry_centre, np.float64).reshape(-1, 3))
            if mmap.geometry_ring is not None:
                f.create_dataset("geometry_ring", data=np.asarray(mmap.geometry_ring, np.int64))
            if mmap.has_triplets:
                for key, dtype in zip(TRIPLET_DATASETS, (np.int64, np.float64, np.float64, np.int64)):
                    f.create_dataset(key, data=np.asarray(getattr(mmap, key), dtype))
    return path


def load_map(path: str | Path, geometry_digest: str | None = None) -> ModuleMap:
    """Read and check a module map.

    Args:
        geometry_digest: when given, the digest the map must have been built for.

    Raises:
        ModuleMapError: naming the file: missing, not HDF5 (truncated), not a module map,
        another format version, another geometry, or inconsistent arrays.
    """
    path = Path(path)
    if not path.exists():
        raise ModuleMapError(f"{path}: module map not found; build it with 'trackgnn build-module-map'")
    try:
        with h5py.File(path, "r") as f:
            attrs = {k: json.loads(v) for k, v in f.attrs.items()}
            if attrs.get("format") != FORMAT:
                raise ModuleMapError(f"{path}: not a module map (format {attrs.get('format')!r}, expected {FORMAT!r})")
            if attrs.get("format_version") not in READABLE_VERSIONS:
                raise ModuleMapError(
                    f"{path}: module map format version {attrs.get('format_version')!r}; this "
                    f"trackgnn reads versions {list(READABLE_VERSIONS)}: rebuild the map"
                )
            if attrs["format_version"] != FORMAT_VERSION:
                log.info(
                    "%s: module map format version %s read as a map without triplets", path, attrs["format_version"]
                )
            triplets = "triplet_quantities" in attrs
            missing = [k for k in DATASETS + (TRIPLET_DATASETS if triplets else ()) if k not in f]
            if missing:
                raise ModuleMapError(f"{path}: module map lacks dataset(s) {missing}")
            arrays = {k: f[k][()] for k in DATASETS + (TRIPLET_DATASETS if triplets else ())}
            if "geometry_ring" in f:
                arrays["geometry_ring"] = f["geometry_ring"][()]
    except ModuleMapError:
        raise
    except (OSError, KeyError, ValueError) as exc:
        raise ModuleMapError(f"{path}: not a readable module map (corrupt or truncated HDF5?): {exc}") from None
    n_q = len(attrs.get("quantities", []))
    p = arrays["pairs"]
    if (
        p.ndim != 2
        or p.shape[1] != 2
        or arrays["lo"].shape != (len(p), n_q)
        or arrays["hi"].shape != (len(p), n_q)
        or arrays["count"].shape != (len(p),)
        or arrays["geometry_centre"].shape != (len(arrays["geometry_key"]), 3)
    ):
        raise ModuleMapError(
            f"{path}: inconsistent module map arrays: pairs {p.shape}, lo {arrays['lo'].shape}, "
            f"hi {arrays['hi'].shape}, count {arrays['count'].shape}, {n_q} quantities, "
            f"geometry {arrays['geometry_key'].shape}/{arrays['geometry_centre'].shape}"
        )
    if "triples" in arrays:
        t = arrays["triples"]
        n_t = len(attrs["triplet_quantities"])
        if (
            t.ndim != 2
            or t.shape[1] != 3
            or arrays["triplet_lo"].shape != (len(t), n_t)
            or arrays["triplet_hi"].shape != (len(t), n_t)
            or arrays["triplet_count"].shape != (len(t),)
        ):
            raise ModuleMapError(
                f"{path}: inconsistent module map triplet arrays: triples {t.shape}, lo "
                f"{arrays['triplet_lo'].shape}, hi {arrays['triplet_hi'].shape}, {n_t} quantities"
            )
    if geometry_digest is not None and attrs.get("geometry_digest") != geometry_digest:
        raise ModuleMapError(
            f"{path}: module map built for geometry {attrs.get('geometry_digest')!r}, "
            f"but the detectors given have digest {geometry_digest!r} (same modules numbered "
            "differently, e.g. real TrackML endcaps against simulation: use --remap-geometry)"
        )
    return ModuleMap(attrs={**attrs, "path": str(path)}, **arrays)
