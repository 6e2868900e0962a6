"""The one error type that bad TrackML input raises."""

from __future__ import annotations

from pathlib import Path


class TrackMLFormatError(ValueError):
    """A TrackML file does not match the format.

    The message always names the file and, where it applies, the column or row
    and what was expected, so a user can find and fix the offending input.
    """

    def __init__(self, path: str | Path | None, message: str):
        self.path = None if path is None else Path(path)
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{message}")
