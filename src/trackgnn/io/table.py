"""Read one CSV table and check it against its column contract.

All checks that only need the table itself live here; checks across tables of one
event (truth pointing at unknown hits, ...) live in :mod:`trackgnn.io.trackml`.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.io.errors import TrackMLFormatError

log = logging.getLogger(__name__)

#: pandas renames a repeated header name ``a`` to ``a.1``, ``a.2``, ...
_MANGLED = re.compile(r"^(.*)\.(\d+)$")


def read_table(
    path: str | Path,
    schema: dict[str, str],
    finite: tuple[str, ...] = (),
    unique: str | None = None,
) -> pd.DataFrame:
    """Read ``path`` (``.csv`` or ``.csv.gz``) into a frame with ``schema``'s columns and dtypes.

    Columns beyond the schema's (``particle_type`` in the particles files that ACTS and
    later TrackML releases write, ...) are dropped and logged at debug level; the frame
    holds exactly the schema's columns, in its order.

    Args:
        path: the CSV file.
        schema: ordered mapping column name -> numpy dtype name.
        finite: columns that must hold finite numbers.
        unique: a column whose values must not repeat (e.g. ``hit_id``).

    Raises:
        TrackMLFormatError: naming the file, the column and, for bad values, the line.
    """
    path = Path(path)
    if not path.exists():
        raise TrackMLFormatError(path, "file not found")
    try:
        frame = pd.read_csv(path, low_memory=False)
    except pd.errors.EmptyDataError:
        raise TrackMLFormatError(path, f"file is empty; expected a header {list(schema)}") from None
    except (UnicodeDecodeError, OSError, EOFError, pd.errors.ParserError) as exc:
        raise TrackMLFormatError(path, f"cannot be read as CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    extra = _check_columns(path, list(frame.columns), schema)
    if extra:
        log.debug("%s: ignoring column(s) %s beyond %s", path, extra, list(schema))
    out = {column: _convert_column(path, frame[column], column, dtype) for column, dtype in schema.items()}
    table = pd.DataFrame(out)
    for column in finite:
        values = table[column].to_numpy()
        bad = ~np.isfinite(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise TrackMLFormatError(
                path,
                f"column '{column}', line {row + 2}: value {values[row]!r} is not a finite number",
            )
    if unique is not None:
        duplicated = table[unique].duplicated()
        if duplicated.any():
            row = int(np.flatnonzero(duplicated.to_numpy())[0])
            raise TrackMLFormatError(
                path,
                f"column '{unique}', line {row + 2}: duplicate value {table[unique].iat[row]}; "
                f"expected each {unique} once",
            )
    return table


def _check_columns(path: Path, columns: list[str], schema: dict[str, str]) -> list[str]:
    """Raise on missing or repeated required columns; return the extra columns (to ignore)."""
    missing = [c for c in schema if c not in columns]
    if missing:
        raise TrackMLFormatError(path, f"missing column(s) {missing}; expected columns {list(schema)}")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    for column in columns:
        match = _MANGLED.match(column)
        if match and match.group(1) in schema and column not in schema:
            repeated.append(match.group(1))
    if repeated:
        raise TrackMLFormatError(path, f"column(s) {sorted(set(repeated))} repeated in the header {columns}")
    return [c for c in columns if c not in schema]


def _convert_column(path: Path, raw: pd.Series, column: str, dtype: str) -> np.ndarray:
    """Cast one parsed column to ``dtype``, naming the first offending line on failure."""
    is_int = dtype.startswith("int")
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.to_numpy()
        if not is_int:
            return values.astype(dtype)
        if pd.api.types.is_integer_dtype(raw.dtype):
            return values.astype(dtype)
        bad = ~np.isfinite(values) | (values != np.round(values))
        if not bad.any():
            return values.astype(dtype)
    else:
        numeric = pd.to_numeric(raw.astype(str).str.strip(), errors="coerce").to_numpy(np.float64)
        bad = np.isnan(numeric) & ~raw.astype(str).str.strip().str.lower().isin(["nan"]).to_numpy()
        if is_int:
            bad |= ~np.isfinite(numeric) | (numeric != np.round(numeric))
        if not bad.any():
            return numeric.astype(dtype)
    row = int(np.flatnonzero(bad)[0])
    kind = "an integer" if is_int else "a number"
    shown = "an empty field" if pd.isna(raw.iat[row]) else repr(raw.iat[row])
    raise TrackMLFormatError(path, f"column '{column}', line {row + 2}: {shown} is not {kind}")
