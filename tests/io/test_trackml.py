import functools
import gzip
import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trackgnn.io import TrackMLFormatError, list_event_ids, read_event, read_events, schema, write_event
from trackgnn.io.trackml import ALL_PARTS, event_file


def small_event():
    hits = pd.DataFrame(
        {
            "hit_id": [1, 2, 3],
            "x": [30.0, 70.0, 115.0],
            "y": [1.0, 2.0, 3.0],
            "z": [0.5, 1.0, 1.5],
            "volume_id": 8,
            "layer_id": [2, 4, 6],
            "module_id": [1, 1, 1],
        }
    )
    cells = pd.DataFrame(
        {"hit_id": [1, 1, 2, 3], "ch0": [10, 11, 5, 7], "ch1": [3, 3, 9, 2], "value": [0.1, 0.2, 0.3, 0.4]}
    )
    particles = pd.DataFrame(
        {
            "particle_id": [4503599644147712],
            "vx": [0.0],
            "vy": [0.0],
            "vz": [0.0],
            "px": [1.0],
            "py": [0.1],
            "pz": [0.05],
            "q": [1],
            "nhits": [2],
        }
    )
    truth = pd.DataFrame(
        {
            "hit_id": [1, 2, 3],
            "particle_id": [4503599644147712, 4503599644147712, 0],
            "tx": [30.0, 70.0, 115.0],
            "ty": [1.0, 2.0, 3.0],
            "tz": [0.5, 1.0, 1.5],
            "tpx": 1.0,
            "tpy": 0.1,
            "tpz": 0.05,
            "weight": [0.5, 0.5, 0.0],
        }
    )
    return hits, cells, particles, truth


@pytest.fixture
def event_dir(tmp_path):
    hits, cells, particles, truth = small_event()
    write_event(tmp_path, 7, hits=hits, cells=cells, particles=particles, truth=truth)
    return tmp_path


@pytest.mark.parametrize("compress", [False, True])
def test_round_trip(tmp_path, compress):
    hits, cells, particles, truth = small_event()
    paths = write_event(tmp_path, 12, hits=hits, cells=cells, particles=particles, truth=truth, compress=compress)
    assert all(p.name.endswith(".csv.gz" if compress else ".csv") for p in paths)
    event = read_event(tmp_path, 12, require=("hits", "cells", "particles", "truth"))
    pd.testing.assert_frame_equal(event.hits, hits.astype(event.hits.dtypes.to_dict()))
    assert event.truth["particle_id"].iloc[0] == 4503599644147712  # 64-bit ids survive
    assert event.cells["ch0"].tolist() == [10, 11, 5, 7]
    assert list_event_ids(tmp_path) == [12]
    assert not list(tmp_path.glob(".*tmp*")), "no temporary files are left behind"


def rewrite(path: Path, edit):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False)


def test_missing_column_names_file_and_column(event_dir):
    path = event_file(event_dir, 7, "hits")
    rewrite(path, lambda f: f.pop("z"))
    with pytest.raises(TrackMLFormatError, match=r"event000000007-hits\.csv.*missing column\(s\) \['z'\]"):
        read_event(event_dir, 7)


@pytest.mark.parametrize("part", ["hits", "cells", "particles", "truth"])
def test_extra_columns_are_ignored_and_logged(event_dir, part, caplog):
    reference = read_event(event_dir, 7, require=ALL_PARTS)
    path = event_file(event_dir, 7, part)
    rewrite(path, lambda f: (f.insert(3, "bogus", "x"), f.insert(0, "particle_type", "11")))
    with caplog.at_level(logging.DEBUG, logger="trackgnn.io.table"):
        event = read_event(event_dir, 7, require=ALL_PARTS)
    for name in ALL_PARTS:
        pd.testing.assert_frame_equal(getattr(event, name), getattr(reference, name))
    assert list(getattr(event, part).columns) == list(schema.PARTS[part])
    assert any(
        "particle_type" in r.getMessage() and "bogus" in r.getMessage() and r.levelno == logging.DEBUG
        for r in caplog.records
    )


def test_extra_columns_do_not_relax_checks(event_dir):
    # a required column is still checked (values, dtypes, line numbers) next to extra ones
    path = event_file(event_dir, 7, "particles")
    rewrite(path, lambda f: (f.insert(1, "particle_type", "11"), f.__setitem__("q", ["x1"])))
    with pytest.raises(TrackMLFormatError, match=r"particles\.csv: column 'q', line 2: 'x1' is not an integer"):
        read_event(event_dir, 7)
    rewrite(path, lambda f: f.pop("nhits"))
    with pytest.raises(TrackMLFormatError, match=r"particles\.csv: missing column\(s\) \['nhits'\]"):
        read_event(event_dir, 7)


def test_repeated_required_column_is_refused(event_dir):
    path = event_file(event_dir, 7, "hits")
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",x"] + [line + ",1.0" for line in lines[1:]]) + "\n")
    with pytest.raises(TrackMLFormatError, match=r"hits\.csv: column\(s\) \['x'\] repeated"):
        read_event(event_dir, 7)


def test_score_accepts_particles_with_particle_type(event_dir, tmp_path, capsys):
    from trackgnn.cli import main

    path = event_file(event_dir, 7, "particles")
    rewrite(path, lambda f: f.insert(len(f.columns), "particle_type", "-13"))
    tracks = tmp_path / "tracks.csv"
    tracks.write_text("hit_id,track_id\n1,0\n2,0\n3,1\n")
    assert main(["score", "--event-dir", str(event_dir), "--tracks", str(tracks), "--event-id", "7"]) == 0
    assert json.loads(capsys.readouterr().out)["trackml_score"] == pytest.approx(1.0)


@pytest.mark.parametrize("value", ["nan", "inf", "", "abc"])
def test_bad_coordinate_names_line(event_dir, value):
    path = event_file(event_dir, 7, "hits")

    def edit(frame):
        frame.loc[1, "y"] = value

    rewrite(path, edit)
    with pytest.raises(TrackMLFormatError, match=r"hits\.csv: column 'y', line 3"):
        read_event(event_dir, 7)


def test_duplicate_hit_id(event_dir):
    path = event_file(event_dir, 7, "hits")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["1", "2", "2"]))
    with pytest.raises(TrackMLFormatError, match=r"column 'hit_id', line 4: duplicate value 2"):
        read_event(event_dir, 7)


def test_truth_pointing_at_unknown_hit(event_dir):
    path = event_file(event_dir, 7, "truth")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["1", "2", "9"]))
    with pytest.raises(TrackMLFormatError, match=r"truth\.csv: line 4: hit_id 9 is not in event000000007-hits"):
        read_event(event_dir, 7)


def test_cells_pointing_at_unknown_hit(event_dir):
    path = event_file(event_dir, 7, "cells")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["1", "1", "2", "42"]))
    with pytest.raises(TrackMLFormatError, match=r"cells\.csv: line 5: hit_id 42"):
        read_event(event_dir, 7)


def test_truth_particle_missing_from_particles(event_dir):
    path = event_file(event_dir, 7, "truth")
    rewrite(path, lambda f: f.__setitem__("particle_id", ["4503599644147712", "77", "0"]))
    with pytest.raises(TrackMLFormatError, match="particle_id 77 is not in the particles file"):
        read_event(event_dir, 7)


def test_empty_event(tmp_path):
    hits, *_ = small_event()
    write_event(tmp_path, 3, hits=hits.iloc[:0])
    with pytest.raises(TrackMLFormatError, match="event has no hits"):
        read_event(tmp_path, 3)


def test_empty_file(tmp_path):
    (tmp_path / "event000000003-hits.csv").write_text("")
    with pytest.raises(TrackMLFormatError, match="file is empty"):
        read_event(tmp_path, 3)


def test_truth_required_but_absent(tmp_path):
    hits, *_ = small_event()
    write_event(tmp_path, 5, hits=hits)
    assert read_event(tmp_path, 5).truth is None
    with pytest.raises(TrackMLFormatError, match=r"event000000005-truth\.csv: file not found, but truth is required"):
        read_event(tmp_path, 5, require=("hits", "truth"))


def test_corrupt_gzip(tmp_path):
    (tmp_path / "event000000001-hits.csv.gz").write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(TrackMLFormatError, match="cannot be read as CSV"):
        read_event(tmp_path, 1)


def test_integer_column_with_fraction(event_dir):
    path = event_file(event_dir, 7, "hits")
    rewrite(path, lambda f: f.__setitem__("layer_id", ["2", "4.5", "6"]))
    with pytest.raises(TrackMLFormatError, match=r"column 'layer_id', line 3: .* is not an integer"):
        read_event(event_dir, 7)


def test_write_refuses_extra_columns(tmp_path):
    hits, *_ = small_event()
    with pytest.raises(ValueError, match="unexpected \\['r'\\]"):
        write_event(tmp_path, 1, hits=hits.assign(r=1.0))
    assert not list(tmp_path.iterdir())


def test_read_events_of_empty_directory(tmp_path):
    with pytest.raises(TrackMLFormatError, match="no event"):
        list(read_events(tmp_path))


def test_real_test_event(real_trackml):
    event = read_event(real_trackml / "test", 2)
    assert len(event.hits) > 50_000 and event.truth is None
    assert set(event.hits["volume_id"].unique()) <= {7, 8, 9, 12, 13, 14, 16, 17, 18}
    r = np.hypot(event.hits["x"], event.hits["y"])
    assert 28 < r[event.hits["volume_id"] == 8].min() < 36  # innermost pixel barrel layer at r ~ 32 mm


def test_real_train_event_with_particles(real_trackml):
    event = read_event(real_trackml / "train", 1001, require=("hits", "particles"))
    assert len(event.hits) == 93_680
    assert event.particles["nhits"].sum() == 76_210


@functools.lru_cache(maxsize=1)
def _gzip_variants():
    text = "hit_id,x,y,z,volume_id,layer_id,module_id\n" + "".join(
        f"{i},{i * 0.5},1.0,2.0,8,2,1\n" for i in range(1, 100_001)
    )
    good = gzip.compress(text.encode())
    return {
        "bad_magic": (b"\x1f\x8b\x08garbage", "EOFError"),
        "not_gzip": (b"this is not gzip data at all", "BadGzipFile"),
        "truncated": (good[: len(good) // 2], "EOFError"),
        "corrupt_deflate": (good[:1000] + bytes(b ^ 0xFF for b in good[1000:1200]) + good[1200:], "error"),
        "bad_crc": (good[:-8] + b"\0\0\0\0" + good[-4:], "BadGzipFile"),
        "not_utf8": (gzip.compress("hit_id,x\n1,\xe9\xff\n".encode("latin-1")), "not UTF-8"),
    }


@pytest.mark.parametrize("variant", sorted(_gzip_variants()))
@pytest.mark.parametrize("reader", ["hits", "particles", "detectors", "tracks"])
def test_corrupt_gzip_names_the_file(tmp_path, variant, reader):
    from trackgnn.io import read_detectors, read_particles_file
    from trackgnn.tracks import read_tracks

    data, kind = _gzip_variants()[variant]
    name = {
        "hits": "event000000001-hits.csv.gz",
        "particles": "p.csv.gz",
        "detectors": "detectors.csv.gz",
        "tracks": "tracks.csv.gz",
    }[reader]
    path = tmp_path / name
    path.write_bytes(data)
    read = {
        "hits": lambda: read_event(tmp_path, 1),
        "particles": lambda: read_particles_file(path),
        "detectors": lambda: read_detectors(path),
        "tracks": lambda: read_tracks(path),
    }[reader]
    with pytest.raises(TrackMLFormatError, match=rf"{name}: .*{kind}.*cannot be read as CSV") as info:
        read()
    assert info.value.path == path


def test_corrupt_gzip_through_the_cli(tmp_path, capsys):
    from trackgnn.cli import main

    data, _ = _gzip_variants()["corrupt_deflate"]
    (tmp_path / "event000000001-hits.csv.gz").write_bytes(data)
    (tmp_path / "t.csv").write_text("hit_id,track_id\n1,1\n")
    assert main(["score", "--event-dir", str(tmp_path), "--tracks", str(tmp_path / "t.csv"), "--event-id", "1"]) == 1
    err = capsys.readouterr().err
    assert "event000000001-hits.csv.gz: corrupt or truncated gzip data" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "part, column, value",
    [
        ("hits", "hit_id", "9223372036854775808"),  # int64 max + 1: pandas reads uint64
        ("hits", "hit_id", "18446744073709551616"),  # beyond uint64: Python ints
        ("truth", "particle_id", "99999999999999999999"),
        ("particles", "particle_id", "-9223372036854775809"),
        ("hits", "module_id", "4294967296"),  # int32 column
    ],
)
def test_ids_beyond_the_integer_range_are_refused(event_dir, part, column, value):
    path = event_file(event_dir, 7, part)

    def edit(frame):
        frame.loc[1, column] = value

    rewrite(path, edit)
    dtype = schema.PARTS[part][column]
    with pytest.raises(
        TrackMLFormatError, match=rf"{part}\.csv: column '{column}', line 3: {value} is outside the {dtype} range"
    ):
        read_event(event_dir, 7)


def test_ids_beyond_int64_with_a_negative_value(event_dir):
    # a negative and a too-large value: pandas reads the column as text
    path = event_file(event_dir, 7, "hits")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["-1", "2", "9223372036854775808"]))
    with pytest.raises(TrackMLFormatError, match=r"hits\.csv: column 'hit_id', line 4: 9223372036854775808 is outside"):
        read_event(event_dir, 7)


def test_largest_int64_ids_are_kept_exactly(event_dir):
    big = 9223372036854775807
    event_file(event_dir, 7, "cells").unlink()
    path = event_file(event_dir, 7, "truth")
    rewrite(path, lambda f: f.__setitem__("particle_id", ["0", "0", "0"]))
    path = event_file(event_dir, 7, "hits")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["1", "2", str(big)]))
    path = event_file(event_dir, 7, "truth")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["1", "2", str(big)]))
    event = read_event(event_dir, 7)
    assert event.hits["hit_id"].tolist() == [1, 2, big]
    # text path (a stray space keeps pandas from parsing the column as numbers)
    path = event_file(event_dir, 7, "hits")
    rewrite(path, lambda f: f.__setitem__("hit_id", ["1", "2 x", str(big)]))
    with pytest.raises(TrackMLFormatError, match="line 3: '2 x' is not an integer"):
        read_event(event_dir, 7)


def test_tracks_reader_refuses_huge_ids(tmp_path):
    from trackgnn.tracks import read_tracks

    (tmp_path / "t.csv").write_text("event_id,hit_id,track_id\n1,1,0\n1,9223372036854775808,0\n")
    with pytest.raises(
        TrackMLFormatError, match=r"t\.csv: column 'hit_id', line 3: 9223372036854775808 is outside the int64"
    ):
        read_tracks(tmp_path / "t.csv")
