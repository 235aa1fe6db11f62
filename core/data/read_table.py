"""CSV and Parquet files: feature columns plus a label column, optional clean-label, id and text columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.data._validate import RawData, check_finite, positions
from core.data.file_options import FileOptions
from core.data.text import column as text_col
from core.errors import UserError

OPTIONS = ("label_column", "clean_label_column", "id_column", "text_column", "text_encoder")


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def read_frame(path: str) -> pd.DataFrame:
    """The whole table; any parse failure becomes one UserError."""
    ext = path.lower().rsplit(".", 1)[-1]
    fmt = "CSV" if ext == "csv" else "Parquet"
    try:
        if fmt == "CSV":
            # utf-8-sig drops the byte-order mark that spreadsheet exports often start with.
            df = pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
        else:
            df = pd.read_parquet(path)
    except pd.errors.EmptyDataError:
        raise UserError(f"file '{path}' is empty") from None
    except UnicodeDecodeError:
        raise UserError(f"cannot read '{path}' as CSV: it is not UTF-8 text") from None
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise UserError(f"cannot read '{path}' as {fmt}: {_first_line(e)}") from None
    except Exception as e:  # pyarrow raises its own types for corrupt files
        raise UserError(f"cannot read '{path}' as {fmt}: {_first_line(e)}") from None
    if df.shape[1] == 0 or len(df) == 0:
        raise UserError(f"file '{path}' has no data rows")
    df.columns = [str(c) for c in df.columns]
    return df


def columns(path: str) -> list[str]:
    """Column names, for the dashboard's pickers."""
    return list(read_frame(path).columns)


def _column(df: pd.DataFrame, name: str, role: str) -> str:
    if name not in df.columns:
        cols = ", ".join(f"'{c}'" for c in list(df.columns)[:20]) + (", ..." if df.shape[1] > 20 else "")
        raise UserError(
            f"{role} '{name}' is not in the file; its columns are {cols} "
            f"(choose one with {role.replace(' ', '_')}=NAME)"
        )
    return name


def _numeric(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    bad = []
    for c in cols:
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            continue
        num = pd.to_numeric(s, errors="coerce")
        wrong = num.isna() & s.notna()
        i = int(np.flatnonzero(wrong.to_numpy())[0]) if wrong.any() else 0
        bad.append((c, s.iloc[i], i))
    if bad:
        c, v, i = bad[0]
        names = ", ".join(f"'{b[0]}'" for b in bad[:5]) + (", ..." if len(bad) > 5 else "")
        raise UserError(
            f"{len(bad)} feature column{'s are' if len(bad) > 1 else ' is'} not numeric: {names} "
            f"(e.g. '{v}' in column '{c}' {positions([i], 'row')}); convert to numbers, "
            "drop them, or pick them as the clean-label, id or text column"
        )
    # float32 straight from the frame: the model trains in float32, and a float64 copy of a big table
    # doubles the peak memory of reading it.
    return df[cols].to_numpy(dtype=np.float32)


def _labels(s: pd.Series) -> np.ndarray:
    """A label column as floats (NaN = missing) or as objects (None = missing)."""
    if pd.api.types.is_bool_dtype(s) and not s.isna().any():
        return s.to_numpy().astype(np.int64)
    if pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    return s.astype(object).where(s.notna(), None).to_numpy()


def _special(df: pd.DataFrame, o: FileOptions) -> tuple[str, str | None, list[str]]:
    """(label column, clean-label column or None, every column that is not a feature)."""
    label = _column(df, o.label_column, "label column")
    special = [label]
    clean = None
    if o.clean_label_column:
        clean = _column(df, o.clean_label_column, "clean label column")
        if clean == label:
            raise UserError("clean_label_column must differ from label_column")
        special.append(clean)
    if o.id_column:
        special.append(_column(df, o.id_column, "id column"))
    return label, clean, special


def texts(path: str, o: FileOptions) -> np.ndarray | None:
    """The texts (N,) of the table's text column (named or detected), or None: no embedding is computed."""
    df = read_frame(path)
    _, _, special = _special(df, o)
    text = text_col.pick_text_column(df, [c for c in df.columns if c not in special], o.text_column)
    return text_col.texts_of(df[text]) if text else None


def read_table(path: str, o: FileOptions) -> RawData:
    df = read_frame(path)
    label, clean, special = _special(df, o)
    feats = [c for c in df.columns if c not in special]
    text = text_col.pick_text_column(df, feats, o.text_column)
    if text:
        feats.remove(text)
    elif not feats:
        raise UserError(f"file '{path}' has no feature columns besides {', '.join(special)}")
    elif len(text_col.non_numeric(df, feats)) == len(feats):
        raise UserError(text_col.no_features_message(df, feats, path))
    # Numeric columns beside a text column are kept as extra features.
    X = _numeric(df, feats) if feats else np.zeros((len(df), 0))
    check_finite(X, "the feature columns", "row", feats)
    return RawData(
        X,
        _labels(df[label]),
        _labels(df[clean]) if clean else None,
        "text" if text else "tabular",
        f"label column '{label}'",
        f"clean label column '{clean}'" if clean else "",
        "row",
        texts=text_col.texts_of(df[text]) if text else None,
        text_column=text or "",
    )
