import json
import logging

import numpy as np
import pandas as pd
import pytest

from tests.io.event_files import rewrite, small_event
from trackgnn.io import TrackMLFormatError, list_event_ids, read_event, read_events, schema, write_event
from trackgnn.io.trackml import ALL_PARTS, event_file


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
