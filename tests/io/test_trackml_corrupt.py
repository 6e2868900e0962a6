"""Corrupt gzip streams and ids beyond the integer range: clear errors naming the file."""

import functools
import gzip

import pytest

from tests.io.event_files import rewrite
from trackgnn.io import TrackMLFormatError, read_event, schema
from trackgnn.io.trackml import event_file


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
