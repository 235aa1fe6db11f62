"""CSV and Parquet files: feature columns plus a label column, optional clean-label, id and text columns.

The table is read in row chunks (`core/data/table_chunks.py`): features become float32 as they are read, and
label and text columns are kept as codes, so reading a file needs memory in proportion to its numbers only.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from core.data import table_chunks as tc
from core.data._validate import RawData, check_finite, positions
from core.data.file_options import FileOptions
from core.data.text import column as text_col
from core.errors import UserError

OPTIONS = ("label_column", "clean_label_column", "id_column", "text_column", "text_encoder")


def columns(path: str) -> list[str]:
    """Column names, for the dashboard's pickers (the header only)."""
    return tc.header(path)


def _column(columns: list[str], name: str, role: str) -> str:
    if name not in columns:
        cols = ", ".join(f"'{c}'" for c in list(columns)[:20]) + (", ..." if len(columns) > 20 else "")
        raise UserError(
            f"{role} '{name}' is not in the file; its columns are {cols} "
            f"(choose one with {role.replace(' ', '_')}=NAME)"
        )
    return name


def _special(columns: list[str], o: FileOptions) -> tuple[str, str | None, list[str]]:
    """(label column, clean-label column or None, every column that is not a feature)."""
    label = _column(columns, o.label_column, "label column")
    special = [label]
    clean = None
    if o.clean_label_column:
        clean = _column(columns, o.clean_label_column, "clean label column")
        if clean == label:
            raise UserError("clean_label_column must differ from label_column")
        special.append(clean)
    if o.id_column:
        special.append(_column(columns, o.id_column, "id column"))
    return label, clean, special


def _labels(s: pd.Series) -> np.ndarray:
    """A label column as floats (NaN = missing) or as objects (None = missing)."""
    if pd.api.types.is_bool_dtype(s) and not s.isna().any():
        return s.to_numpy().astype(np.int64)
    if pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    return s.astype(object).where(s.notna(), None).to_numpy()


def _not_numeric(bad: dict[str, tuple[object, int]]) -> UserError:
    (c, (v, i)), names = next(iter(bad.items())), list(bad)
    shown = ", ".join(f"'{b}'" for b in names[:5]) + (", ..." if len(names) > 5 else "")
    return UserError(
        f"{len(names)} feature column{'s are' if len(names) > 1 else ' is'} not numeric: {shown} "
        f"(e.g. '{v}' in column '{c}' {positions([i], 'row')}); convert to numbers, "
        "drop them, or pick them as the clean-label, id or text column"
    )


@dataclasses.dataclass
class _Found:
    """A table after its column choices: the scan, the label/clean/text column names, the text column's values
    and the non-numeric feature columns as whole columns (read only when a choice or a message needs them)."""

    scan: tc.Scan
    label: str
    clean: str | None
    special: list[str]
    feats: list[str]
    text: str | None
    text_values: pd.Series | None
    strings: dict[str, pd.Series]


def _find(path: str, o: FileOptions, chunk_rows: int | None) -> _Found:
    names = tc.header(path)
    label, clean, special = _special(names, o)
    feats = [c for c in names if c not in special]
    wanted = o.text_column
    if wanted and wanted not in feats:
        text_col.named_text_column(wanted, names, feats, None)  # raises: not in the file, or a label/id column
    as_text = tc.fmt_of(path) == "CSV"
    scan = tc.scan(path, [c for c in feats if c != wanted], [c for c in (label, clean, wanted) if c], chunk_rows)
    if wanted:
        values = scan.coded[wanted].series(as_text)
        text = text_col.named_text_column(wanted, names, feats, lambda c: values)
        strings = {}  # beside a named text column a non-numeric feature is an error that needs no strings
    else:
        # A column holding a value that is not a number is the text column, or an error that shows its strings.
        strings = tc.read_coded(path, [c for c in feats if c in scan.bad], chunk_rows)
        text = text_col.detect_text_column(strings)
        values = strings[text] if text else None
    return _Found(scan, label, clean, special, feats, text, values, strings)


def texts(path: str, o: FileOptions, chunk_rows: int | None = None) -> np.ndarray | None:
    """The texts (N,) of the table's text column (named or detected), or None: no embedding is computed."""
    f = _find(path, o, chunk_rows)
    return text_col.texts_of(f.text_values) if f.text else None


def read_table(path: str, o: FileOptions, chunk_rows: int | None = None) -> RawData:
    f = _find(path, o, chunk_rows)
    scan, text = f.scan, f.text
    feats = [c for c in f.feats if c != text]
    nonnum = [c for c in feats if c in scan.bad]
    if not text and not feats:
        raise UserError(f"file '{path}' has no feature columns besides {', '.join(f.special)}")
    if not text and len(nonnum) == len(feats):
        raise UserError(text_col.no_features_message(f.strings, feats, path))
    if nonnum:
        raise _not_numeric({c: scan.bad[c] for c in nonnum})
    # Numeric columns beside a text column are kept as extra features.
    X = scan.X
    check_finite(X, "the feature columns", "row", feats)
    as_text = tc.fmt_of(path) == "CSV"
    return RawData(
        X,
        _labels(scan.coded[f.label].series(as_text)),
        _labels(scan.coded[f.clean].series(as_text)) if f.clean else None,
        "text" if text else "tabular",
        f"label column '{f.label}'",
        f"clean label column '{f.clean}'" if f.clean else "",
        "row",
        texts=text_col.texts_of(f.text_values) if text else None,
        text_column=text or "",
    )
