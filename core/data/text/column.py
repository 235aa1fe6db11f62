"""Which column of a table holds free text, and its texts; one clear UserError for each bad choice."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from core.errors import UserError

# Class names, codes and categories are short; sentences (tickets, reviews, headlines) are longer.
MIN_MEDIAN_CHARS = 20


def _is_numeric(s: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return True
    present = s.dropna()
    return bool(len(present)) and bool(pd.to_numeric(present, errors="coerce").notna().all())


def _strings(s: pd.Series) -> pd.Series:
    """The column as stripped strings, '' where missing."""
    return s.astype(object).where(s.notna(), "").map(lambda v: str(v).strip())


def median_chars(s: pd.Series) -> float:
    lengths = _strings(s).str.len()
    lengths = lengths[lengths > 0]
    return float(lengths.median()) if len(lengths) else 0.0


def non_numeric(df: pd.DataFrame, columns: list[str]) -> list[str]:
    return [c for c in columns if not _is_numeric(df[c])]


def named_text_column(
    wanted: str, columns: list[str], candidates: list[str], column: Callable[[str], pd.Series]
) -> str:
    """`wanted` after its checks; `columns` are all the table's names, `column(name)` gives the whole column."""
    if wanted not in columns:
        cols = ", ".join(f"'{c}'" for c in list(columns)[:20]) + (", ..." if len(columns) > 20 else "")
        raise UserError(
            f"text column '{wanted}' is not in the file; its columns are {cols} (choose one with text_column=NAME)"
        )
    if wanted not in candidates:
        raise UserError(f"text column '{wanted}' is also the label, clean-label or id column; pick another")
    s = column(wanted)
    if not (_strings(s) != "").any():
        raise UserError(f"text column '{wanted}' is empty in every row")
    if _is_numeric(s):
        raise UserError(
            f"text column '{wanted}' holds numbers, not text; leave text_column empty to use it as a numeric feature"
        )
    return wanted


def detect_text_column(non_numeric_columns: Mapping[str, pd.Series]) -> str | None:
    """The single non-numeric column of long strings (name -> whole column, in table order), else None."""
    long = [c for c, s in non_numeric_columns.items() if median_chars(s) >= MIN_MEDIAN_CHARS]
    if len(long) > 1:
        names = ", ".join(f"'{c}'" for c in long[:5])
        raise UserError(
            f"several columns hold text ({names}); pick one with text_column=NAME and drop the "
            "others or pick one as the id column"
        )
    return long[0] if long else None


def pick_text_column(df: pd.DataFrame, candidates: list[str], wanted: str) -> str | None:
    """The text column of a whole frame: `wanted` after checks, else the detected one, else None."""
    if wanted:
        return named_text_column(wanted, list(df.columns), candidates, df.__getitem__)
    return detect_text_column({c: df[c] for c in non_numeric(df, candidates)})


def no_features_message(df: Mapping[str, pd.Series] | pd.DataFrame, columns: list[str], path: str) -> str:
    """One line for a table whose only non-label columns are short strings (no text, no numbers); `df[c]` is a
    whole column."""
    shown = ", ".join(f"'{c}' (median {median_chars(df[c]):.0f} characters)" for c in columns[:5])
    return (
        f"file '{path}' has no numeric feature column and no text column: {shown} "
        f"{'holds' if len(columns) == 1 else 'hold'} short strings (text needs a median of "
        f"{MIN_MEDIAN_CHARS}+ characters); pick a text column with text_column=NAME, or add numeric features"
    )


def texts_of(s: pd.Series) -> np.ndarray:
    """(N,) object array of str; a missing cell is the empty text."""
    return _strings(s).to_numpy(dtype=object)
