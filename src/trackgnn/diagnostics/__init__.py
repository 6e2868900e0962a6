"""Truth-free comparisons of TrackML events: real data against simulation.

Everything here reads only ``hits`` (and ``cells`` when present), never truth, so the same
numbers can be computed on real TrackML files and on simulated events alike.
"""
