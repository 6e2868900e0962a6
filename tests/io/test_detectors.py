import numpy as np
import pandas as pd
import pytest

from trackgnn.io import TrackMLFormatError, read_detectors, write_detectors


def test_real_detectors(real_trackml):
    det = read_detectors(real_trackml / "detectors.csv.gz")
    assert len(det) == 18_728
    rot = det[[f"rot_{a}{b}" for a in "xyz" for b in "uvw"]].to_numpy().reshape(-1, 3, 3)
    # every module's rotation is orthonormal
    assert np.allclose(np.einsum("mij,mkj->mik", rot, rot), np.eye(3), atol=1e-5)
    pixel_barrel = det[det["volume_id"] == 8]
    radii = pixel_barrel.groupby("layer_id").apply(lambda g: np.hypot(g.cx, g.cy).mean(), include_groups=False)
    assert radii.to_numpy() == pytest.approx([32, 72, 116, 172], abs=4)


def test_detectors_round_trip_and_duplicates(real_trackml, tmp_path):
    det = read_detectors(real_trackml / "detectors.csv.gz").head(20)
    write_detectors(tmp_path / "d.csv", det)
    assert read_detectors(tmp_path / "d.csv").equals(det)
    dup = det.copy()
    dup.loc[5, ["volume_id", "layer_id", "module_id"]] = dup.loc[4, ["volume_id", "layer_id", "module_id"]].to_numpy()
    write_detectors(tmp_path / "bad.csv", dup)
    with pytest.raises(TrackMLFormatError, match="line 7: module"):
        read_detectors(tmp_path / "bad.csv")


def test_detectors_with_extra_columns(real_trackml, tmp_path):
    det = read_detectors(real_trackml / "detectors.csv.gz").head(20)
    det.assign(sensor_type=3, comment="x").to_csv(tmp_path / "d.csv", index=False)
    assert read_detectors(tmp_path / "d.csv").equals(det)


def test_detectors_extra_column_synthetic(tmp_path):
    from trackgnn.io import schema

    row = {name: 1.0 for name in schema.DETECTORS}
    row.update(volume_id=8, layer_id=2, module_id=1)
    frame = pd.DataFrame([row, {**row, "module_id": 2}]).assign(extra=7)
    frame.to_csv(tmp_path / "d.csv", index=False)
    det = read_detectors(tmp_path / "d.csv")
    assert list(det.columns) == list(schema.DETECTORS) and det["module_id"].tolist() == [1, 2]
    frame["cx"] = ["1.0", "abc"]
    frame.to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(TrackMLFormatError, match=r"d\.csv: column 'cx', line 3"):
        read_detectors(tmp_path / "d.csv")
