"""The workflow reads config files written with the old section names (``embedding``,
``filter``): each file is renamed on its own before Snakemake's merge is rebuilt, so an old
run config under a new preset, or a new config under an old overlay, resolves as if every
file used the new names, with a deprecation warning naming the file."""

from __future__ import annotations

import yaml

from trackgnn.config_legacy import RENAMED_SECTIONS

from .workflow_utils import REPO, TINY_CONFIG, resolved_config, run, scheduled

NEW_TO_OLD = {new: old for old, new in RENAMED_SECTIONS.items()}


def _tiny(workdir, old_names: bool):
    config = yaml.safe_load(TINY_CONFIG.read_text())
    if old_names:
        config = {NEW_TO_OLD.get(key, key): value for key, value in config.items()}
    (workdir / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return config


def test_old_names_resolve_as_the_new_ones_under_a_new_overlay(tmp_path):
    """An old run config (``embedding``, ``filter``) with the shipped overlay
    ``config/filter_small.yaml`` (``filtering``) after it: one ``filtering`` section, the
    overlay's keys over the run's, the same config as the run written with the new names."""
    overlays = (REPO / "config" / "filter_small.yaml",)
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    _tiny(old, old_names=True)
    tiny = _tiny(new, old_names=False)
    resolved_old = resolved_config(old, overlays=overlays)
    resolved_new = resolved_config(new, overlays=overlays)
    assert resolved_old == resolved_new
    assert "embedding" not in resolved_old and "filter" not in resolved_old
    assert resolved_old["filtering"]["models"]["mlp"]["hidden"] == 32  # the overlay's
    assert resolved_old["filtering"]["training"]["max_epochs"] == tiny["filtering"]["training"]["max_epochs"]
    assert resolved_old["metric_learning"]["hidden"] == tiny["metric_learning"]["hidden"]
    dry = run(old, "-n", overlays=overlays)
    assert dry.returncode == 0, dry.stderr[-3000:]
    text = dry.stdout + dry.stderr
    for name, renamed in RENAMED_SECTIONS.items():
        assert f"config section '{name}' is deprecated" in text and f"rename it '{renamed}'" in text
    assert str(old / "config.yaml") in text
    # the rules read their params from the new sections: the same jobs as with the new names
    dry_new = run(new, "-n", overlays=overlays)
    assert dry_new.returncode == 0 and "deprecated" not in dry_new.stdout + dry_new.stderr
    assert scheduled(old, overlays=overlays) == scheduled(new, overlays=overlays) != {}


def test_an_old_overlay_over_new_names_and_both_names_in_one_file(tmp_path):
    tiny = _tiny(tmp_path, old_names=False)
    overlay = tmp_path / "old_overlay.yaml"
    overlay.write_text("filter:\n  cut: 0.05\n")
    resolved = resolved_config(tmp_path, overlays=(overlay,))
    assert resolved["filtering"]["cut"] == 0.05
    assert resolved["filtering"]["training"]["max_epochs"] == tiny["filtering"]["training"]["max_epochs"]
    both = tmp_path / "both.yaml"
    both.write_text("filter:\n  cut: 0.05\nfiltering:\n  cut: 0.1\n")
    result = run(tmp_path, "-n", overlays=(both,))
    assert result.returncode != 0
    assert f"{both}: both 'filter' (the old name) and 'filtering' are given" in result.stdout + result.stderr
