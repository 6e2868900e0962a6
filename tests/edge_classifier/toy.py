"""Synthetic candidate graphs in the graph-shard contract, for tests, targets and benchmarks
until simulated shards of the upstream stages exist.

Toy detector: the ten TrackML barrel layers (r = 32 ... 1020 mm) in a 2 T field. Charged
particles from a beam spot (:math:`\\sigma_z` = 55 mm) with a power-law :math:`p_T`
spectrum above ``pt_min`` follow helices, with Gaussian multiple-scattering kinks per layer
and hit smearing per sub-detector; noise hits are spread uniformly. Candidate edges join
adjacent layers when the pair is compatible with a track of :math:`p_T \\gtrsim`
``graph_pt`` from :math:`|z_0| <` ``z0_max``; each inner hit keeps its ``k`` best
candidates (like a kNN graph construction), which sets the edges per hit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trackgnn.data import write_store

LAYER_R = np.array([32.0, 72.0, 116.0, 172.0, 260.0, 360.0, 500.0, 660.0, 820.0, 1020.0])
LAYER_HALF_Z = np.array([455.0] * 4 + [1030.0] * 6)
_RES_RPHI = np.array([0.015] * 4 + [0.023] * 4 + [0.035] * 2)
_RES_Z = np.array([0.016] * 4 + [0.35] * 4 + [3.0] * 2)
_VOLUME = np.array([8] * 4 + [13] * 4 + [17] * 2)
_B_FIELD = 2.0


def toy_event(
    rng: np.random.Generator,
    n_particles: int = 400,
    noise_fraction: float = 0.1,
    pt_min: float = 0.3,
    eta_max: float = 1.5,
    target_pt: float = 1.0,
    graph_pt: float = 0.15,
    z0_max: float = 600.0,
    k: int = 30,
) -> dict[str, np.ndarray]:
    """One event as the arrays of the graph-shard contract (truth included)."""
    p = n_particles
    pt = pt_min * rng.random(p) ** (-1 / 1.5)
    eta = rng.uniform(-eta_max, eta_max, p)
    phi0 = rng.uniform(-np.pi, np.pi, p)
    q = rng.choice([-1.0, 1.0], p)
    vz = rng.normal(0.0, 55.0, p)
    radius = 1000.0 * pt / (0.2998 * _B_FIELD)  # mm
    mom = pt * np.cosh(eta)
    sigma_ms = 0.0136 / mom * np.sqrt(0.02)
    dr = np.maximum(LAYER_R[None, :] - LAYER_R[:, None], 0.0)  # [L, L] lever arms k -> m
    off_rphi = (rng.normal(size=(p, len(LAYER_R))) * sigma_ms[:, None]) @ dr
    off_z = (rng.normal(size=(p, len(LAYER_R))) * (sigma_ms * np.cosh(eta))[:, None]) @ dr
    with np.errstate(invalid="ignore"):
        half = np.arcsin(LAYER_R[None, :] / (2 * radius[:, None]))  # NaN when not reached
    phi = phi0[:, None] - q[:, None] * half + (off_rphi + rng.normal(size=half.shape) * _RES_RPHI) / LAYER_R
    z = vz[:, None] + 2 * radius[:, None] * half * np.sinh(eta)[:, None] + off_z + rng.normal(size=half.shape) * _RES_Z
    ok = np.isfinite(half) & (np.abs(z) < LAYER_HALF_Z)
    ok &= np.cumprod(ok, axis=1).astype(bool)  # once a particle leaves the barrel it is gone
    part, layer = np.nonzero(ok)
    hits = {
        "layer": layer,
        "phi": phi[part, layer],
        "z": z[part, layer],
        "particle_id": part + 1,
    }
    n_noise = int(noise_fraction * len(part))
    noise_layer = rng.integers(0, len(LAYER_R), n_noise)
    hits = {
        "layer": np.r_[hits["layer"], noise_layer],
        "phi": np.r_[hits["phi"], rng.uniform(-np.pi, np.pi, n_noise)],
        "z": np.r_[hits["z"], rng.uniform(-1, 1, n_noise) * LAYER_HALF_Z[noise_layer]],
        "particle_id": np.r_[hits["particle_id"], np.zeros(n_noise, np.int64)],
    }
    order = rng.permutation(len(hits["layer"]))
    hits = {key: value[order] for key, value in hits.items()}
    hits["phi"] = np.remainder(hits["phi"] + np.pi, 2 * np.pi) - np.pi
    return _assemble(hits, pt, eta, target_pt, graph_pt, z0_max, k)


def _assemble(hits, pt, eta, target_pt, graph_pt, z0_max, k) -> dict[str, np.ndarray]:
    layer, pid = hits["layer"], hits["particle_id"].astype(np.int64)
    r = LAYER_R[layer]
    n = len(layer)
    hit_pt = np.where(pid > 0, pt[pid - 1], 0.0)
    n_hits = np.bincount(pid, minlength=len(pt) + 1)
    particle_target = (pt > target_pt) & (np.abs(eta) < 4.0) & (n_hits[1:] >= 5)
    node_target = np.where(pid > 0, particle_target[np.maximum(pid, 1) - 1], False)
    # truth graph: consecutive hits of each particle ordered by radius
    order = np.lexsort((r, pid))
    same = (pid[order][1:] == pid[order][:-1]) & (pid[order][1:] > 0)
    truth_edges = np.stack([order[:-1][same], order[1:][same]])
    edges = candidate_edges(r, hits["phi"], hits["z"], layer, graph_pt, z0_max, k)
    y = np.isin(edges[0] * n + edges[1], truth_edges[0] * n + truth_edges[1])
    y_pid = (pid[edges[0]] == pid[edges[1]]) & (pid[edges[0]] > 0)
    weight = np.where(pid > 0, 1.0, 0.0)
    weight = weight / weight.sum() if weight.sum() else weight
    return {
        "x": np.stack([r / 1000, hits["phi"] / np.pi, hits["z"] / 1000], axis=1).astype(np.float32),
        "hit_id": np.arange(1, n + 1, dtype=np.int64),
        "r": r.astype(np.float32),
        "phi": hits["phi"].astype(np.float32),
        "z": hits["z"].astype(np.float32),
        "eta": np.arcsinh(hits["z"] / r).astype(np.float32),
        "volume_id": _VOLUME[layer].astype(np.int64),
        "layer_id": (2 * (layer % 4) + 2).astype(np.int64),
        "module_id": np.zeros(n, np.int64),
        "edge_index": edges,
        "particle_id": pid,
        "pt": hit_pt.astype(np.float32),
        "node_target": node_target,
        "weight": weight.astype(np.float32),
        "y": y,
        "y_pid": y_pid,
        "target_edge": y & node_target[edges[0]],
        "truth_edges": truth_edges.astype(np.int64),
        "truth_target": node_target[truth_edges[0]],
    }


def candidate_edges(r, phi, z, layer, graph_pt, z0_max, k, chunk=4000) -> np.ndarray:
    """Adjacent-layer pairs with :math:`|\\Delta\\phi| < \\Delta r / (2R(p_T))` (+30%) and
    :math:`|z_0| <` ``z0_max``; per inner hit the ``k`` with the smallest
    :math:`(\\Delta\\phi/w)^2 + (z_0/z_{0,max})^2`. Returns ``[2, E]`` int64."""
    slope_max = 1.3 / (2 * 1000.0 * graph_pt / (0.2998 * _B_FIELD))
    out = []
    for l_in in range(len(LAYER_R) - 1):
        a = np.flatnonzero(layer == l_in)
        b = np.flatnonzero(layer == l_in + 1)
        if not len(a) or not len(b):
            continue
        b = b[np.argsort(phi[b])]
        b_ext = np.r_[b, b, b]
        phi_ext = np.r_[phi[b] - 2 * np.pi, phi[b], phi[b] + 2 * np.pi]
        width = slope_max * (LAYER_R[l_in + 1] - LAYER_R[l_in])
        for s in range(0, len(a), chunk):
            aa = a[s : s + chunk]
            lo = np.searchsorted(phi_ext, phi[aa] - width)
            hi = np.searchsorted(phi_ext, phi[aa] + width)
            cnt = hi - lo
            src = np.repeat(aa, cnt)
            pos = np.repeat(lo - np.cumsum(np.r_[0, cnt[:-1]]), cnt) + np.arange(cnt.sum())
            dst = b_ext[pos]
            dphi = np.remainder(phi[dst] - phi[src] + np.pi, 2 * np.pi) - np.pi
            z0 = z[src] - r[src] * (z[dst] - z[src]) / (r[dst] - r[src])
            dist = (dphi / width) ** 2 + (z0 / z0_max) ** 2
            keep = (np.abs(dphi) < width) & (np.abs(z0) < z0_max)
            src, dst, dist = src[keep], dst[keep], dist[keep]
            order = np.lexsort((dist, src))
            src, dst = src[order], dst[order]
            first = np.r_[0, np.flatnonzero(src[1:] != src[:-1]) + 1]
            rank = np.arange(len(src)) - np.repeat(first, np.diff(np.r_[first, len(src)]))
            out.append(np.stack([src[rank < k], dst[rank < k]]))
    return np.concatenate(out, axis=1).astype(np.int64) if out else np.zeros((2, 0), np.int64)


def write_toy_shards(
    out_dir: str | Path, splits: dict[str, int], seed: int = 0, events_per_shard: int = 10, **event_kwargs
) -> dict[str, list[Path]]:
    """Write ``{split: n_events}`` toy events as shards ``out_dir/<split>_<k>.h5``."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    paths: dict[str, list[Path]] = {}
    event_id = 1000
    for split, n_events in splits.items():
        paths[split] = []
        for start in range(0, n_events, events_per_shard):
            events = {}
            for _ in range(min(events_per_shard, n_events - start)):
                events[event_id] = toy_event(rng, **event_kwargs)
                event_id += 1
            path = out_dir / f"{split}_{start // events_per_shard}.h5"
            write_store(path, events, {"feature_names": ["r/1000", "phi/pi", "z/1000"], "source": "toy"})
            paths[split].append(path)
    return paths
