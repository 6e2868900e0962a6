"""Module identity between official TrackML and ACTS numbering: matching by position,
refusals naming the module, the cache, and (with the shared data) the real detector."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from trackgnn.io import TrackMLFormatError, read_detectors, schema
from trackgnn.io import module_identity as mi
from trackgnn.io import module_identity_cache as mic
from trackgnn.io.module_identity import ModuleMap, match_modules, module_identity, official_to_acts


def ring_detector(rng=None) -> pd.DataFrame:
    """A toy detector: a barrel layer (volume 8) and a disk (volume 7) of 12 modules each,
    module ids in phi order (the 'ACTS' numbering)."""
    rows = []
    for volume, layer, radius, z in ((8, 2, 32.0, 0.0), (7, 2, 60.0, -600.0), (7, 4, 60.0, -700.0)):
        for k in range(12):
            phi = 2 * np.pi * k / 12
            row = {name: 0.0 for name in schema.DETECTORS}
            row.update(
                volume_id=volume,
                layer_id=layer,
                module_id=k + 1,
                cx=radius * np.cos(phi),
                cy=radius * np.sin(phi),
                cz=z,
            )
            rows.append(row)
    return pd.DataFrame(rows).astype(schema.DETECTORS)


def official_numbering(acts: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    """The same modules with the disk modules renumbered (a permutation per layer), shuffled,
    and positions perturbed by a few microns."""
    rng = np.random.default_rng(seed)
    off = acts.copy()
    for (volume, _layer), rows in off.groupby(["volume_id", "layer_id"]).groups.items():
        if volume == 7:
            off.loc[rows, "module_id"] = (rng.permutation(len(rows)) + 1).astype(np.int32)
    off[["cx", "cy", "cz"]] += rng.uniform(-0.004, 0.004, (len(off), 3))
    return off.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def test_permuted_disks_are_matched_and_barrel_is_identity():
    acts = ring_detector()
    off = official_numbering(acts)
    table = match_modules(off, acts)
    assert list(table.columns) == mi.COLUMNS and len(table) == len(acts)
    barrel = table[table["volume_id"] == 8]
    assert (barrel["module_official"] == barrel["module_acts"]).all()
    # each official module maps to the ACTS module at its position
    merged = table.merge(
        off, left_on=["volume_id", "layer_id", "module_official"], right_on=["volume_id", "layer_id", "module_id"]
    )
    merged = merged.merge(
        acts,
        left_on=["volume_id", "layer_id", "module_acts"],
        right_on=["volume_id", "layer_id", "module_id"],
        suffixes=("_o", "_a"),
    )
    assert np.allclose(merged[["cx_o", "cy_o", "cz_o"]], merged[["cx_a", "cy_a", "cz_a"]], atol=0.01)
    mapping = ModuleMap(table)
    assert not mapping.is_identity and mapping.n_renumbered > 0
    v, l, m = (off[c].to_numpy() for c in ("volume_id", "layer_id", "module_id"))
    acts_ids = mapping.official_to_acts(v, l, m)
    assert acts_ids.dtype == np.int32
    assert np.array_equal(mapping.acts_to_official(v, l, acts_ids), m)
    assert np.array_equal(official_to_acts(v, l, m, mapping), acts_ids)
    assert ModuleMap(match_modules(acts, acts)).is_identity


def test_moved_module_is_refused_naming_it(tmp_path):
    acts = ring_detector()
    off = official_numbering(acts)
    row = off.index[(off["volume_id"] == 7) & (off["layer_id"] == 4)][0]
    module = int(off.loc[row, "module_id"])
    off.loc[row, "cz"] += 3.0
    path = tmp_path / "detectors.csv"
    off.to_csv(path, index=False)
    with pytest.raises(
        TrackMLFormatError,
        match=rf"detectors\.csv: module \(volume 7, layer 4, module {module}\) "
        r"at \(.*\) mm has no module of the same layer within 1 mm",
    ):
        module_identity(path, acts, cache_dir=None)


def test_ambiguous_duplicate_and_missing_layers_are_refused():
    acts = ring_detector()
    # two modules of the other table within twice the tolerance: ambiguous
    extra = acts.iloc[[0]].assign(module_id=13, cz=acts["cz"].iat[0] + 1.5)
    crowded = pd.concat([acts, extra], ignore_index=True)
    with pytest.raises(
        TrackMLFormatError,
        match=r"module \(volume 8, layer 2, module 1\) .* matches more than one module: 1 at 0 mm and 13 at 1.5 mm",
    ):
        match_modules(acts, crowded, official_name="official")
    # two official modules on one position
    twice = acts.copy()
    twice.loc[1, ["cx", "cy", "cz"]] = twice.loc[0, ["cx", "cy", "cz"]].to_numpy()
    with pytest.raises(TrackMLFormatError, match=r"modules \[1, 2\] of volume 8, layer 2 both match module 1"):
        match_modules(twice, acts, tolerance_mm=0.1)
    # an ACTS module without an official partner
    with pytest.raises(
        TrackMLFormatError,
        match=r"module \(volume 8, layer 2, module 12\) of the ACTS "
        r"GenericDetector .* has no partner",
    ):
        match_modules(acts[~((acts["volume_id"] == 8) & (acts["module_id"] == 12))], acts)
    with pytest.raises(TrackMLFormatError, match=r"\(volume, layer\) \[\(7, 4\)\] only in the ACTS GenericDetector"):
        match_modules(acts[acts["layer_id"] != 4], acts)


def test_unknown_module_in_lookup_names_the_row(tmp_path):
    mapping = ModuleMap(match_modules(ring_detector(), ring_detector()), "detectors.csv")
    with pytest.raises(
        TrackMLFormatError,
        match=r"hits\.csv: line 3: module \(volume 7, layer 2, module 99\) is not "
        r"a module of the official numbering of detectors\.csv",
    ):
        mapping.official_to_acts([7, 7], [2, 2], [1, 99], source=tmp_path / "hits.csv")


def test_cache_is_written_reused_and_repaired(tmp_path, monkeypatch, caplog):
    acts = ring_detector()
    off = official_numbering(acts)
    path = tmp_path / "detectors.csv"
    off.to_csv(path, index=False)
    cache = tmp_path / "cache"
    first = module_identity(path, acts, cache_dir=cache)
    files = list((cache / "module_identity").glob("*.csv"))
    assert len(files) == 1 and mic.table_digest(read_detectors(path)) in files[0].name
    assert not list((cache / "module_identity").glob(".*"))  # no temporary file left behind

    def no_matching(*args, **kwargs):
        raise AssertionError("matched again despite the cache")

    monkeypatch.setattr(mi, "match_modules", no_matching)
    again = module_identity(path, acts, cache_dir=cache)
    pd.testing.assert_frame_equal(again.table, first.table)
    # a damaged entry is recomputed and replaced, with a warning
    monkeypatch.undo()
    files[0].write_text("volume_id,layer_id\n1,2\n")
    with caplog.at_level(logging.WARNING):
        repaired = module_identity(path, acts, cache_dir=cache)
    pd.testing.assert_frame_equal(repaired.table, first.table)
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert len(pd.read_csv(files[0])) == len(acts)
    # another geometry: another entry
    moved = acts.assign(cz=acts["cz"] + 0.01)
    module_identity(path, moved, cache_dir=cache)
    assert len(list((cache / "module_identity").glob("*.csv"))) == 2
    # the environment variable sets (or turns off) the default cache folder
    monkeypatch.setenv(mi.CACHE_ENV, str(tmp_path / "env"))
    module_identity(path, acts)
    assert list((tmp_path / "env" / "module_identity").glob("*.csv"))
    monkeypatch.setenv(mi.CACHE_ENV, "off")
    assert mic.default_cache_dir() is None


@pytest.fixture(scope="module")
def acts_table():
    pytest.importorskip("acts")
    from trackgnn.simulation.geometry import detectors_table

    return detectors_table()


def test_official_detectors_map_bijectively_onto_acts(real_trackml, acts_table, tmp_path):
    mapping = module_identity(real_trackml / "detectors.csv.gz", acts_table, cache_dir=tmp_path)
    table = mapping.table
    assert len(table) == 18_728
    for column in ("module_official", "module_acts"):
        assert not table.duplicated(["volume_id", "layer_id", column]).any()
    barrel = table["volume_id"].isin([8, 13, 17])
    assert (table.loc[barrel, "module_official"] == table.loc[barrel, "module_acts"]).all()
    assert (table.loc[~barrel, "module_official"] != table.loc[~barrel, "module_acts"]).mean() > 0.9
    assert mapping.n_renumbered == int(
        (~barrel).sum() - (table.loc[~barrel, "module_official"] == table.loc[~barrel, "module_acts"]).sum()
    )
    # every official hit of a real event lies on the plane of its translated ACTS module
    from trackgnn.baselines.measurements import hits_to_measurements
    from trackgnn.io import read_event

    hits = read_event(real_trackml / "train", 1001, parts=("hits",)).hits
    with pytest.raises(TrackMLFormatError, match="official TrackML endcap ids differ"):
        hits_to_measurements(hits, acts_table)
    translated = hits.assign(module_id=mapping.official_to_acts(hits["volume_id"], hits["layer_id"], hits["module_id"]))
    assert len(hits_to_measurements(translated, acts_table, max_offsurface_mm=0.5)) == len(hits)


def test_shared_detectors_moved_module_is_refused(real_trackml, acts_table):
    det = read_detectors(real_trackml / "detectors.csv.gz")
    row = det.index[(det["volume_id"] == 18) & (det["layer_id"] == 6)][10]
    module = int(det.loc[row, "module_id"])
    det.loc[row, "cx"] += 5.0
    with pytest.raises(TrackMLFormatError, match=rf"module \(volume 18, layer 6, module {module}\)"):
        match_modules(det, acts_table)
