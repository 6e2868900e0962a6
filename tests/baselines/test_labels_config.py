"""Fast tests of the ACTS-free parts of the baseline: hit labelling and config validation."""

from __future__ import annotations

import pytest

from trackgnn.baselines.config import ActsCkfConfig, load_baseline_config
from trackgnn.baselines.labels import FoundTracks, hit_labels
from trackgnn.config import ConfigError


def test_shared_hit_goes_to_longest_track_and_free_hits_are_singletons():
    tracks = FoundTracks.from_lists([[0, 1, 2], [2, 3, 4, 5]], chi2=[1.0, 9.0])
    labels = hit_labels(8, tracks)
    assert labels.tolist()[:6] == [0, 0, 1, 1, 1, 1]
    assert labels[6] != labels[7] and min(labels[6], labels[7]) >= 2


def test_equal_length_tie_goes_to_smaller_chi2():
    tracks = FoundTracks.from_lists([[0, 1, 2], [2, 3, 4]], chi2=[5.0, 1.0])
    assert hit_labels(5, tracks)[2] == 1


def test_no_tracks_every_hit_singleton():
    labels = hit_labels(4, FoundTracks.from_lists([]))
    assert sorted(labels.tolist()) == [0, 1, 2, 3]


def test_out_of_range_measurement_raises():
    with pytest.raises(ValueError, match="out of range"):
        hit_labels(3, FoundTracks.from_lists([[0, 3]]))


def test_config_defaults_and_overrides():
    assert ActsCkfConfig.from_dict(None) == ActsCkfConfig()
    cfg = ActsCkfConfig.from_dict({"seed_delta_r_mm": [2, 100], "threads": 2, "acts_log_level": "info"})
    assert cfg.seed_delta_r_mm == (2.0, 100.0) and cfg.threads == 2 and cfg.acts_log_level == "INFO"


@pytest.mark.parametrize(
    "block, message",
    [
        ({"ckf_chi2": 3}, "unknown key"),
        ({"min_measurements": 2}, "acts_ckf.min_measurements"),
        ({"seed_delta_r_mm": [5, 1]}, "min < max"),
        ({"resolution": "exact"}, "acts_ckf.resolution"),
        ({"ambiguity_resolution": "yes"}, "true or false"),
        ({"ckf_chi2_cut": -1}, "acts_ckf.ckf_chi2_cut"),
    ],
)
def test_config_errors_name_the_key(block, message):
    with pytest.raises(ValueError, match=message):
        ActsCkfConfig.from_dict(block)


def test_load_config_reads_block_and_field(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("simulation: {bfield_t: 3.0}\nacts_ckf: {min_measurements: 6}\n")
    cfg, bfield = load_baseline_config(path)
    assert cfg.min_measurements == 6 and bfield == 3.0
    path.write_text("acts_ckf: {min_measurements: 1}\n")
    with pytest.raises(ConfigError, match=r"c\.yaml.*min_measurements"):
        load_baseline_config(path)
