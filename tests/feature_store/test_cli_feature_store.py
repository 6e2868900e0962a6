import pytest
import yaml

from trackgnn.cli import main
from trackgnn.cli.common import event_id_list
from trackgnn.data import read_store


def test_parse_events():
    assert sorted(set(event_id_list("3,1,0-2"))) == [0, 1, 2, 3]


def test_cli_writes_shard(toy_dir, tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml.safe_dump({"feature_store": {"truth_graph": "layerwise"}}))
    out = tmp_path / "s.h5"
    assert (
        main(["feature-store", "--config", str(cfg), "--input", str(toy_dir), "--events", "0,1", "--out", str(out)])
        == 0
    )
    attrs, events = read_store(out)
    assert sorted(events) == [0, 1] and attrs["config"]["truth_graph"] == "layerwise"
    with pytest.raises(SystemExit):
        main(["feature-store", "--config", str(cfg), "--input", str(toy_dir), "--events", "x", "--out", str(out)])
    assert "--events" in capsys.readouterr().err
