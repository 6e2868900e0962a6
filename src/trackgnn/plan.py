"""Which events a run has, how they split into train/val/test, and how they group into shards.

A shard is ``<split>-<k:03d>``: the k-th group of ``events_per_shard`` events of one split.
Per-event stages run one job per shard, so ``snakemake --cores N`` runs N shards at once;
training stages read the train and val shards. Event content never depends on the split
(simulation seeds derive from the event id), only the grouping does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

SPLITS = ("train", "val", "test")


def split_events(event_ids: Iterable[int], fractions: dict[str, float], seed: int) -> dict[str, list[int]]:
    """Seeded split of ``event_ids`` into train/val/test (each part sorted).

    Counts are rounded; every split with a positive fraction gets at least one event when
    there are enough events, and the test split takes the remainder. The result does not
    depend on the order of ``event_ids``.

    Raises:
        ValueError: repeated ids, or fractions that are negative or do not sum to one.
    """
    ids = np.array(sorted(int(e) for e in event_ids), dtype=np.int64)
    if len(np.unique(ids)) != len(ids):
        raise ValueError("split_events: event ids repeat")
    unknown = sorted(set(fractions) - set(SPLITS))
    values = {s: float(fractions.get(s, 0.0)) for s in SPLITS}
    if unknown or any(v < 0 for v in values.values()) or not np.isclose(sum(values.values()), 1.0, atol=1e-6):
        raise ValueError(f"data.split: fractions {dict(fractions)} must be >= 0 and sum to 1 over {list(SPLITS)}")
    n = len(ids)
    counts = {s: int(round(values[s] * n)) for s in ("train", "val")}
    for s in ("val", "train"):
        if values[s] > 0 and counts[s] == 0 and n >= 3:
            counts[s] = 1
    if values["test"] > 0 and n - counts["train"] - counts["val"] <= 0 and n >= 3:
        counts["train"] -= 1
    counts["test"] = n - counts["train"] - counts["val"]
    order = np.random.default_rng(seed).permutation(n)
    out, start = {}, 0
    for s in SPLITS:
        out[s] = sorted(ids[order[start : start + counts[s]]].tolist())
        start += counts[s]
    return out


def plan_shards(splits: dict[str, list[int]], events_per_shard: int) -> dict[str, list[int]]:
    """``{shard name: event ids}`` for every non-empty split."""
    shards = {}
    for split in SPLITS:
        ids = splits.get(split, [])
        for k in range(0, len(ids), events_per_shard):
            shards[f"{split}-{k // events_per_shard:03d}"] = list(ids[k : k + events_per_shard])
    return shards


def run_events(config: dict, available: Sequence[int] | None = None) -> dict[str, list[int]]:
    """Events of each split for a validated run config.

    Args:
        available: event ids found in ``data.input_dir`` (source 'directory').
    """
    data = config["data"]
    chosen = data.get("event_ids")
    if data["source"] == "simulate":
        ids = list(chosen or range(data["first_event_id"], data["first_event_id"] + data["n_events"]))
    else:
        if not available:
            raise ValueError(f"data.input_dir {data['input_dir']!r}: no TrackML events found")
        ids = list(available)
        if chosen:
            missing = sorted(set(chosen) - set(ids))
            if missing:
                raise ValueError(
                    f"data.event_ids: event(s) {missing} not in data.input_dir {data['input_dir']!r}; "
                    f"expected ids among {sorted(ids)}"
                )
            ids = sorted(chosen)
    if not data["has_truth"]:
        return {"train": [], "val": [], "test": sorted(ids)}
    return split_events(ids, data["split"], config["run"]["seed"])
