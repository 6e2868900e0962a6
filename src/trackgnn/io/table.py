"""Read one CSV table and check it against its column contract.

All checks that only need the table itself live here; checks across tables of one
event (truth pointing at unknown hits, ...) live in :mod:`trackgnn.io.trackml`.
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from decimal import Decimal
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
    frame = read_csv(path, f"a header {list(schema)}")
    extra = _check_columns(path, list(frame.columns), schema)
    if extra:
        log.debug("%s: ignoring column(s) %s beyond %s", path, extra, list(schema))
    out = {column: convert_column(path, frame[column], column, dtype) for column, dtype in schema.items()}
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


def read_csv(path: Path, expected: str) -> pd.DataFrame:
    """``pd.read_csv`` of a plain or gzip CSV with header names stripped; every way the file
    can fail to read (missing, empty, corrupt or truncated gzip, not UTF-8, not CSV) becomes
    a :class:`TrackMLFormatError` naming the file. ``expected`` describes the header."""
    path = Path(path)
    if not path.exists():
        raise TrackMLFormatError(path, "file not found")
    try:
        frame = pd.read_csv(path, low_memory=False)
    except pd.errors.EmptyDataError:
        raise TrackMLFormatError(path, f"file is empty; expected {expected}") from None
    except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
        raise TrackMLFormatError(
            path, f"corrupt or truncated gzip data ({type(exc).__name__}: {exc}); cannot be read as CSV"
        ) from None
    except UnicodeDecodeError as exc:
        raise TrackMLFormatError(
            path, f"not UTF-8 text ({exc}); cannot be read as CSV (a corrupt file, or not a CSV file)"
        ) from None
    except (OSError, pd.errors.ParserError) as exc:
        raise TrackMLFormatError(path, f"cannot be read as CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def convert_column(path: Path, raw: pd.Series, column: str, dtype: str) -> np.ndarray:
    """Cast one parsed column to ``dtype``, naming the first offending line on failure.

    Integer columns are checked against the range of ``dtype``: a 64-bit id beyond int64
    (which pandas parses as uint64, or as Python ints) is refused rather than wrapped around.
    """
    is_int = dtype.startswith("int")
    info = np.iinfo(dtype) if is_int else None
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.to_numpy()
        if not is_int:
            return values.astype(dtype)
        if pd.api.types.is_integer_dtype(raw.dtype):
            if values.dtype.kind == "u":
                outside = values > np.uint64(info.max)
            else:
                outside = (values < info.min) | (values > info.max)
            _check_range(path, raw, column, dtype, outside)
            return values.astype(dtype)
        bad = ~np.isfinite(values) | (values != np.round(values))
        if not bad.any():
            limit = 2.0 ** (info.bits - 1)
            _check_range(path, raw, column, dtype, (values < -limit) | (values >= limit))
            return values.astype(dtype)
    else:
        text = raw.astype(str).str.strip()
        numeric = pd.to_numeric(text, errors="coerce").to_numpy(np.float64)
        bad = np.isnan(numeric) & ~text.str.lower().isin(["nan"]).to_numpy()
        if is_int:
            bad |= ~np.isfinite(numeric) | (numeric != np.round(numeric))
        if not bad.any():
            if not is_int:
                return numeric.astype(dtype)
            return _exact_integers(path, raw, text, numeric, column, dtype)
    row = int(np.flatnonzero(bad)[0])
    kind = "an integer" if is_int else "a number"
    shown = "an empty field" if pd.isna(raw.iat[row]) else repr(raw.iat[row])
    raise TrackMLFormatError(path, f"column '{column}', line {row + 2}: {shown} is not {kind}")


def _exact_integers(
    path: Path, raw: pd.Series, text: pd.Series, numeric: np.ndarray, column: str, dtype: str
) -> np.ndarray:
    """Integers parsed from text: float64 is exact below 2**53; larger values (64-bit ids)
    are parsed digit by digit. Values outside ``dtype``'s range are refused."""
    info = np.iinfo(dtype)
    big = np.abs(numeric) >= 2.0**53
    outside = ~big & ((numeric < info.min) | (numeric > info.max))
    rows = np.flatnonzero(big)
    exact = [int(Decimal(value)) for value in text.to_numpy()[rows]]
    outside[rows] = [not (info.min <= v <= info.max) for v in exact]
    _check_range(path, raw, column, dtype, outside)
    out = np.where(big, 0, numeric).astype(dtype)
    out[rows] = exact
    return out


def _check_range(path: Path, raw: pd.Series, column: str, dtype: str, outside: np.ndarray) -> None:
    if not outside.any():
        return
    row = int(np.flatnonzero(outside)[0])
    info = np.iinfo(dtype)
    raise TrackMLFormatError(
        path,
        f"column '{column}', line {row + 2}: {str(raw.iat[row]).strip()} is outside the {dtype} range "
        f"[{info.min}, {info.max}] ({int(outside.sum())} such value(s) in the column)",
    )
