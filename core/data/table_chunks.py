"""A CSV or Parquet table read in row chunks into compact columns: memory grows with the float32 features, not the text.

Numeric columns go straight into float32 blocks; label, clean-label and text columns are kept as codes over
their distinct values. The whole table is never one frame: reading holds one chunk plus those compact columns.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

import numpy as np
import pandas as pd

from core.errors import UserError

# Cells per chunk: ~16 MB as float64 whatever the table's width.
CHUNK_CELLS = 1 << 21
# The words pandas' CSV parser reads as booleans; a column of only these is boolean, as a whole-file read has it.
TRUE, FALSE = ("True", "TRUE", "true"), ("False", "FALSE", "false")


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def fmt_of(path: str) -> str:
    return "CSV" if path.lower().endswith(".csv") else "Parquet"


@contextlib.contextmanager
def parse_errors(path: str):
    """Any parse failure while reading `path` (at its start or in its last chunk) becomes one UserError."""
    fmt = fmt_of(path)
    try:
        yield
    except UserError:
        raise
    except pd.errors.EmptyDataError:
        raise UserError(f"file '{path}' is empty") from None
    except UnicodeDecodeError:
        raise UserError(f"cannot read '{path}' as CSV: it is not UTF-8 text") from None
    except Exception as e:  # pandas' ParserError, OSError, ValueError; pyarrow raises its own types
        raise UserError(f"cannot read '{path}' as {fmt}: {_first_line(e)}") from None


def header(path: str) -> list[str]:
    """The column names as a whole-file read gives them (pandas renames duplicates 'a', 'a.1')."""
    with parse_errors(path):
        if fmt_of(path) == "CSV":
            # utf-8-sig drops the byte-order mark that spreadsheet exports often start with.
            names = pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns
        else:
            import pyarrow.parquet as pq

            names = pq.ParquetFile(path).schema_arrow.empty_table().to_pandas().columns
    if len(names) == 0:
        raise UserError(f"file '{path}' has no data rows")
    return [str(c) for c in names]


def chunks(
    path: str, rows: int, as_text: tuple[str, ...] = (), only: list[str] | None = None
) -> Iterator[pd.DataFrame]:
    """Frames of at most `rows` rows; CSV columns in `as_text` keep the text written in the file (NA cells
    missing), others are typed per chunk. `only`: read just these columns (header names; a CSV row with more
    fields than the header then passes unnoticed, so only a second pass over a checked file uses it)."""
    if fmt_of(path) == "CSV":
        reader = pd.read_csv(
            path,
            encoding="utf-8-sig",
            chunksize=rows,
            low_memory=False,  # one type per column and chunk, not per internal parser block
            dtype={c: str for c in as_text},
            usecols=only,
        )
        with reader:
            for df in reader:
                df.columns = [str(c) for c in df.columns]
                yield df
        return
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    # Parquet stores one type per column, so chunks need no re-typing; batches follow the row groups.
    for batch in pf.iter_batches(batch_size=rows, columns=only):
        df = batch.to_pandas()
        df.columns = [str(c) for c in df.columns]
        yield df


def _parsed(path: str, frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """`frames` with the parser's failures (only those, not the caller's) turned into one UserError."""
    while True:
        with parse_errors(path):
            df = next(frames, None)
        if df is None:
            return
        yield df


class Coded:
    """One column kept as int32 codes (N,) over its distinct values (-1 = missing): 4 bytes a row."""

    def __init__(self):
        self.uniques: list = []
        self._index: dict = {}
        self._codes: list[np.ndarray] = []

    def add(self, s: pd.Series) -> None:
        codes, uniq = pd.factorize(s, use_na_sentinel=True)
        remap = np.full(len(uniq) + 1, -1, np.int32)  # code -1 (missing) picks the trailing -1
        for k, u in enumerate(uniq):
            code = self._index.get(u)
            if code is None:
                code = self._index[u] = len(self.uniques)
                self.uniques.append(u)
            remap[k] = code
        self._codes.append(remap[codes])

    @property
    def codes(self) -> np.ndarray:
        return np.concatenate(self._codes) if self._codes else np.zeros(0, np.int32)

    def series(self, from_text: bool) -> pd.Series:
        """The whole column. `from_text` (CSV): typed as pandas types a whole column read at once: booleans when
        every value is a boolean word, numbers when every value is a number, else the strings."""
        u = np.array(self.uniques, dtype=object)
        if from_text and len(u) and all(v in TRUE or v in FALSE for v in u):
            u = np.array([v in TRUE for v in u])
        elif from_text:
            nums = pd.to_numeric(pd.Series(u, dtype=object), errors="coerce")
            if nums.notna().all():
                u = nums.to_numpy(np.float64)
        else:
            u = pd.Series(u, dtype=object).infer_objects().to_numpy()
        codes = self.codes
        if (codes < 0).any():  # missing cells: NaN, in a float column or among objects (as pandas has them)
            u = np.append(u.astype(np.float64 if u.dtype.kind in "fiu" else object), np.nan)
        return pd.Series(u[codes])


@dataclasses.dataclass
class Scan:
    """What one pass over a table found. X (N, D) float32: the feature columns `features` (numeric ones);
    `bad`: each non-numeric feature column -> (its first non-numeric value, 0-based row); `coded`: columns kept
    as codes (labels, a named text column); `chunks`: how many chunks were read."""

    columns: list[str]
    n: int
    X: np.ndarray
    features: list[str]
    bad: dict[str, tuple[object, int]]
    coded: dict[str, Coded]
    chunks: int


def _numbers(s: pd.Series, offset: int, bad: dict, name: str) -> np.ndarray:
    """A chunk's column as float32 (n,) (NaN where missing or not a number); records the first non-number."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype=np.float32, na_value=np.nan)
    num = pd.to_numeric(s, errors="coerce")
    wrong = (num.isna() & s.notna()).to_numpy()
    if wrong.any() and name not in bad:
        i = int(np.flatnonzero(wrong)[0])
        bad[name] = (s.iloc[i], offset + i)
    return num.to_numpy(dtype=np.float32, na_value=np.nan)


def scan(path: str, features: list[str], coded: list[str], chunk_rows: int | None = None) -> Scan:
    """Read `path` once: `features` into float32, `coded` columns (CSV: as the text in the file) into codes."""
    columns = header(path)
    rows = chunk_rows or max(1, CHUNK_CELLS // len(columns))
    cols = {c: Coded() for c in coded}
    blocks: list[np.ndarray] = []
    bad: dict[str, tuple[object, int]] = {}
    n = n_chunks = 0
    # Every column is parsed (an unused id column too): `usecols` would let a row with too many fields pass.
    for df in _parsed(path, chunks(path, rows, as_text=tuple(coded))):
        block = np.empty((len(df), len(features)), np.float32)
        for j, c in enumerate(features):
            block[:, j] = _numbers(df[c], n, bad, c)
        blocks.append(block)
        for c, col in cols.items():
            col.add(df[c])
        n += len(df)
        n_chunks += 1
    if n == 0:
        raise UserError(f"file '{path}' has no data rows")
    # Keep only the numeric columns, moved block by block into the final array: each block is dropped once
    # copied, so the blocks and X together hold one table's worth of numbers plus a chunk, not two tables.
    keep = [j for j, c in enumerate(features) if c not in bad]
    X = np.empty((n, len(keep)), np.float32)
    i = 0
    blocks.reverse()
    while blocks:
        block = blocks.pop()
        X[i : i + len(block)] = block[:, keep]
        i += len(block)
        del block
    return Scan(columns, n, X, [features[j] for j in keep], bad, cols, n_chunks)


def read_coded(path: str, names: list[str], chunk_rows: int | None = None) -> dict[str, pd.Series]:
    """Whole columns `names` (typed as a whole-file read types them), read in chunks."""
    if not names:
        return {}
    rows = chunk_rows or max(1, CHUNK_CELLS // len(names))
    cols = {c: Coded() for c in names}
    for df in _parsed(path, chunks(path, rows, as_text=tuple(names), only=names)):
        for c, col in cols.items():
            col.add(df[c])
    return {c: col.series(fmt_of(path) == "CSV") for c, col in cols.items()}
