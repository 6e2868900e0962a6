import torch

from trackgnn.graph_construction.loss import hinge_loss
from trackgnn.graph_construction.pairs import sample_pairs


def test_hinge_loss_by_hand():
    emb = torch.tensor([[0.0, 0.0], [0.3, 0.0], [0.0, 0.1], [1.0, 0.0]])
    pairs = torch.tensor([[0, 0, 0], [1, 2, 3]])
    label = torch.tensor([1.0, 0.0, 0.0])
    # positive d2 = 0.09; negatives d2 = 0.01 -> 0.1-0.01 = 0.09, and 1.0 -> 0
    expected = 2.0 * 0.09 + (0.09 + 0.0) / 2
    assert torch.isclose(hinge_loss(emb, pairs, label, margin=0.1, pos_weight=2.0), torch.tensor(expected))
    assert hinge_loss(emb, pairs[:, :0], label[:0], 0.1).item() == 0.0


def test_pairs_hold_every_positive_and_skip_same_particle_non_edges():
    torch.manual_seed(0)
    n = 60
    pid = torch.arange(n) // 4 + 1  # particles of 4 hits: truth chain 0-1-2-3
    first = torch.arange(n - 1)[pid[:-1] == pid[1:]]
    truth = torch.stack([first, first + 1])
    emb = torch.zeros(n, 3)  # all points coincide: every pair is a hard negative candidate
    pt = torch.full((n,), 2.0)
    pairs, label = sample_pairs(emb, truth, pid, pt, knn=10, radius=0.5, random_pairs=2.0)
    keys = set(zip(pairs[0].tolist(), pairs[1].tolist()))
    assert all((a, b) in keys for a, b in truth.T.tolist())
    same = pid[pairs[0]] == pid[pairs[1]]
    truth_keys = {tuple(sorted(e)) for e in truth.T.tolist()}
    is_truth = torch.tensor([tuple(sorted(p)) in truth_keys for p in pairs.T.tolist()])
    assert torch.equal(label.bool(), is_truth)
    assert not (same & ~is_truth).any()
    assert (~label.bool()).sum() > 0
    # positives below positive_pt_min are not forced in
    _, label_hi = sample_pairs(emb, truth, pid, pt, knn=0, radius=0.5, random_pairs=0.0, positive_pt_min=5.0)
    assert label_hi.numel() == 0


def test_query_groups_partition_the_pairs_of_an_event():
    """steps_per_event: each step makes the pairs of its query hits only; together the steps
    hold every positive, and hard negatives are the queries' own nearest neighbours."""
    torch.manual_seed(0)
    n, steps = 40, 3
    pid = torch.arange(n) // 4 + 1
    first = torch.arange(n - 1)[pid[:-1] == pid[1:]]
    truth = torch.stack([first, first + 1])
    emb = torch.randn(n, 2) * 0.2
    pt = torch.full((n,), 2.0)
    seen_positive = set()
    for part in range(steps):
        queries = torch.arange(n) % steps == part
        pairs, label = sample_pairs(emb, truth, pid, pt, knn=3, radius=0.3, random_pairs=1.0, queries=queries)
        assert queries[pairs[0]].all(), "every pair starts at a query hit of this step"
        seen_positive |= {tuple(sorted(p)) for p in pairs[:, label.bool()].T.tolist()}
        assert (pairs[0] != pairs[1]).all()
    assert seen_positive == {tuple(e) for e in truth.T.tolist()}
