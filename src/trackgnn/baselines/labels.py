"""Reconstructed tracks (lists of measurement indices) -> one track label per hit.

A hit used by several tracks goes to the longest of them (ties: the smaller chi2, then
the earlier track); hits on no track become singletons, so every hit of the event
appears exactly once in the output, as the TrackML submission format requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class FoundTracks:
    """Tracks of one event as flat arrays: track ``k`` owns ``measurement[offsets[k]:offsets[k + 1]]``."""

    measurement: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    chi2: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @classmethod
    def from_lists(cls, tracks: list[list[int]], chi2: list[float] | None = None) -> FoundTracks:
        lengths = np.array([len(t) for t in tracks], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        flat = np.fromiter((i for t in tracks for i in t), dtype=np.int64, count=int(offsets[-1]))
        chi = np.zeros(len(tracks)) if chi2 is None else np.asarray(chi2, dtype=np.float64)
        return cls(measurement=flat, offsets=offsets, chi2=chi)


def hit_labels(n_measurements: int, tracks: FoundTracks) -> np.ndarray:
    """Track label of each measurement: ``0..n_tracks-1``, then singletons numbered after them.

    Raises:
        ValueError: a track refers to a measurement index outside ``[0, n_measurements)``.
    """
    n_tracks = len(tracks)
    lengths = np.diff(tracks.offsets)
    owner = np.repeat(np.arange(n_tracks, dtype=np.int64), lengths)
    meas = tracks.measurement
    if len(meas) and (meas.min() < 0 or meas.max() >= n_measurements):
        raise ValueError(f"track measurement index out of range [0, {n_measurements})")
    label = np.full(n_measurements, -1, dtype=np.int64)
    if len(meas):
        # priority: longest track, then smallest chi2, then first; the best claim is written last
        chi2 = np.nan_to_num(tracks.chi2, nan=np.inf)
        rank = np.lexsort((-np.arange(n_tracks), -chi2, lengths))  # ascending: worst first
        priority = np.empty(n_tracks, dtype=np.int64)
        priority[rank] = np.arange(n_tracks)
        order = np.lexsort((priority[owner], meas))  # by measurement, best claim last
        m_sorted, o_sorted = meas[order], owner[order]
        last = np.append(m_sorted[1:] != m_sorted[:-1], True)
        label[m_sorted[last]] = o_sorted[last]
    free = label < 0
    label[free] = n_tracks + np.arange(int(free.sum()))
    return label
