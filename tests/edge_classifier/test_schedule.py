import math

import pytest

from trackgnn.edge_classifier.base import lr_factor


def test_warmup_then_cosine_to_floor():
    f = lr_factor(
        warmup_steps=10,
        total_steps=110,
        scheduler="cosine",
        min_lr_ratio=0.1,
        steps_per_epoch=10,
        step_epochs=1,
        step_gamma=0.5,
    )
    assert f(0) == pytest.approx(0.1) and f(9) == pytest.approx(1.0)
    assert f(60) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert f(110) == pytest.approx(0.1) and f(500) == pytest.approx(0.1)


def test_step_schedule():
    f = lr_factor(0, 100, "step", 0.0, steps_per_epoch=10, step_epochs=2, step_gamma=0.5)
    assert [f(k) for k in (0, 19, 20, 45)] == [1.0, 1.0, 0.5, 0.25]
