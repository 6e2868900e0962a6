import numpy as np

from tests.graph_construction.module_map import synthetic
from trackgnn.graph_construction.module_map.geometry import geometry_digest, module_geometry
from trackgnn.graph_construction.module_map.pooling import canonical, expand


def _centres(table, geo):
    t = table.sort_values(["volume_id", "layer_id", "module_id"]).reset_index(drop=True)
    return np.arctan2(t["cy"], t["cx"]).to_numpy(), t["cz"].to_numpy()


def test_rings_and_mirror_images():
    table = synthetic.detectors()
    geo = module_geometry(table)
    sizes = sorted(geo.ring_size.tolist())
    assert sizes == sorted([n for _, _, n in synthetic.LAYERS] * 2)
    assert np.array_equal(geo.ring_sym, geo.ring_size)  # all rings equally spaced
    phi, cz = _centres(table, geo)
    assert np.all(geo.mirror >= 0)
    assert np.allclose(cz[geo.mirror], -cz) and np.allclose(phi[geo.mirror], phi)
    assert np.array_equal(geo.mirror[geo.mirror], np.arange(len(geo.key)))


def test_unequal_ring_has_no_rotation_and_digest_tracks_positions():
    table = synthetic.detectors()
    moved = table.copy()
    moved.loc[0, ["cx", "cy"]] = [30 * np.cos(0.3), 30 * np.sin(0.3)]  # break the first ring's spacing
    geo = module_geometry(moved)
    # the moved module (its orientation no longer radial) and the rest of its ring lose rotations
    assert geo.ring_sym[geo.ring[0]] == 1 and geo.ring_sym[geo.ring[1]] == 1
    assert (geo.ring_sym > 1).sum() == 2 * len(synthetic.LAYERS) - 1
    assert geometry_digest(moved) != geometry_digest(table)
    assert geometry_digest(table.sample(frac=1.0, random_state=0)) == geometry_digest(table)


def test_canonical_is_rotation_invariant_and_expand_lists_the_orbit():
    table = synthetic.detectors()
    geo = module_geometry(table)
    phi, cz = _centres(table, geo)
    m = len(geo.key)
    a, b = np.meshgrid(np.arange(m), np.arange(m), indexing="ij")
    a, b = a.ravel(), b.ravel()
    a, b = a[geo.ring[a] != geo.ring[b]], b[geo.ring[a] != geo.ring[b]]
    ca, cb = canonical(geo, a, b)
    # canonical of a canonical pair is itself, and every pair lies in its canonical pair's orbit
    assert np.array_equal(np.stack(canonical(geo, ca, cb)), np.stack([ca, cb]))
    source, ea, eb = expand(geo, ca, cb)
    orbit = set(zip((ca * m + cb)[source].tolist(), (ea * m + eb).tolist()))
    assert all(((x * m + y), (p * m + q)) in orbit for x, y, p, q in zip(ca, cb, a, b))
    # an orbit element is the pair rotated by one angle, a symmetry of both rings
    rot_a = np.angle(np.exp(1j * (phi[ea] - phi[ca[source]])))
    rot_b = np.angle(np.exp(1j * (phi[eb] - phi[cb[source]])))
    assert np.allclose(np.exp(1j * rot_a), np.exp(1j * rot_b))
    assert np.allclose(cz[ea], cz[ca[source]]) and np.allclose(cz[eb], cz[cb[source]])
    # orbit size: gcd of the ring orders (4, 6 -> 2 rotations; 6, 8 -> 2; 4, 8 -> 4)
    g = np.gcd(geo.ring_size[geo.ring[ca]], geo.ring_size[geo.ring[cb]])
    assert np.array_equal(np.bincount(source, minlength=len(ca)), g)


def test_without_rotation_pairs_are_their_own_orbit():
    geo = module_geometry(synthetic.detectors())
    a, b = np.array([0, 3, 5]), np.array([9, 12, 20])
    assert np.array_equal(np.stack(canonical(geo, a, b, rotation=False)), np.stack([a, b]))
    source, ea, eb = expand(geo, a, b, rotation=False)
    assert np.array_equal(source, np.arange(3)) and np.array_equal(ea, a) and np.array_equal(eb, b)
