"""trackgnn: graph-neural-network particle-track reconstruction for TrackML-format events."""

__version__ = "0.1.0"
