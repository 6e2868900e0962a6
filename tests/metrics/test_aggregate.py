import numpy as np
import pytest

from trackgnn.metrics.aggregate import binomial_efficiency


def test_wilson_interval_bounds_and_empty_bins():
    eff, below, above = binomial_efficiency([0, 3, 5, 0], [5, 10, 5, 0])
    assert eff[:3].tolist() == [0.0, 0.3, 1.0]
    lower, upper = eff - below, eff + above
    # inside [0, 1], never of zero width, and containing the efficiency
    assert np.all(lower[:3] >= 0) and np.all(upper[:3] <= 1 + 1e-12)
    assert np.all(below[:3] >= 0) and np.all(above[:3] >= 0) and np.all(upper[:3] - lower[:3] > 0.05)
    assert below[0] == 0 and above[0] > 0 and above[2] == 0 and below[2] > 0
    assert np.isnan(eff[3]) and np.isnan(below[3]) and np.isnan(above[3])


def test_wilson_interval_matches_formula_and_wider_z():
    eff, below, above = binomial_efficiency([7], [9])
    p, n = 7 / 9, 9
    centre = (p + 1 / (2 * n)) / (1 + 1 / n)
    half = np.sqrt(p * (1 - p) / n + 1 / (4 * n * n)) / (1 + 1 / n)
    assert eff[0] - below[0] == pytest.approx(centre - half) and eff[0] + above[0] == pytest.approx(centre + half)
    _, below2, above2 = binomial_efficiency([7], [9], z=2.0)
    assert below2[0] > below[0] and above2[0] > above[0]


@pytest.mark.parametrize("n", [5, 20, 100])
def test_wilson_interval_covers_high_efficiencies_about_68_percent(n):
    # coverage at one fixed p oscillates with the discreteness of k; averaged over true
    # efficiencies in [0.8, 1] (where tracking efficiencies live) it is close to 68%
    # (0.78 at n = 5, 0.70 at n = 20, 0.69 at n = 100)
    rng = np.random.default_rng(3)
    p = rng.uniform(0.8, 1.0, size=40000)
    k = rng.binomial(n, p)
    eff, below, above = binomial_efficiency(k, np.full_like(k, n))
    coverage = np.mean((eff - below <= p) & (p <= eff + above))
    # the normal approximation undercovers there (zero width whenever all n pass)
    normal = np.sqrt(eff * (1 - eff) / n)
    normal_coverage = np.mean((eff - normal <= p) & (p <= eff + normal))
    assert 0.64 < coverage < 0.8
    assert normal_coverage < coverage
