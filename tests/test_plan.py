import pytest

from trackgnn.plan import plan_shards, run_events, split_events

FRACTIONS = {"train": 0.7, "val": 0.15, "test": 0.15}


def test_split_is_seeded_disjoint_and_complete():
    ids = list(range(100, 124))
    a = split_events(ids, FRACTIONS, seed=1)
    b = split_events(reversed(ids), FRACTIONS, seed=1)
    c = split_events(ids, FRACTIONS, seed=2)
    assert a == b and a != c
    assert sorted(a["train"] + a["val"] + a["test"]) == ids
    assert [len(a[s]) for s in ("train", "val", "test")] == [17, 4, 3]


def test_small_runs_keep_every_split():
    a = split_events([1, 2, 3], {"train": 0.8, "val": 0.1, "test": 0.1}, seed=0)
    assert all(len(a[s]) == 1 for s in ("train", "val", "test"))


@pytest.mark.parametrize(
    "fractions",
    [
        {"train": 0, "val": 0, "test": 0},
        {"train": 0.5, "val": 0.2},
        {"train": 1.2, "val": -0.2},
        {"train": 0.5, "dev": 0.5},
    ],
)
def test_bad_fractions_name_the_key(fractions):
    with pytest.raises(ValueError, match="data.split"):
        split_events(range(10), fractions, seed=0)


def test_repeated_ids():
    with pytest.raises(ValueError, match="repeat"):
        split_events([1, 1, 2], {"train": 1.0}, seed=0)


def test_shards_group_events_per_split():
    shards = plan_shards({"train": [1, 2, 3, 4, 5], "val": [6], "test": []}, events_per_shard=2)
    assert shards == {"train-000": [1, 2], "train-001": [3, 4], "train-002": [5], "val-000": [6]}


def _config(**data):
    from trackgnn.config import validate_config

    return validate_config({"data": data})


def test_event_ids_pick_events_of_a_folder():
    config = _config(source="directory", input_dir="x", has_truth=False, event_ids=[1010, 1009])
    assert run_events(config, available=[1001, 1009, 1010, 1012]) == {"train": [], "val": [], "test": [1009, 1010]}
    with pytest.raises(ValueError, match=r"data.event_ids: event\(s\) \[1010\] not in data.input_dir 'x'"):
        run_events(config, available=[1001, 1009])


def test_event_ids_replace_the_simulated_range():
    config = _config(event_ids=[1009, 1010], split={"train": 0, "val": 0, "test": 1})
    assert run_events(config) == {"train": [], "val": [], "test": [1009, 1010]}
    assert run_events(_config(n_events=3, first_event_id=5, split={"train": 0, "val": 0, "test": 1}))["test"] == [
        5,
        6,
        7,
    ]
