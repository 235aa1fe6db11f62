"""Text columns in user tables: detection, explicit choice, extra numeric columns, and one clear line per bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.data.files import load_file, read_texts
from core.errors import UserError

from .conftest import text_frame


def _csv(tmp_path, df, name="t.csv") -> str:
    p = str(tmp_path / name)
    df.to_csv(p, index=False)
    return p


def _error(path, options=None) -> str:
    with pytest.raises(UserError) as e:
        load_file(path, options or {})
    msg = str(e.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_a_long_string_column_is_detected_and_embedded(text_csv):
    ds = load_file(text_csv, {"clean_label_column": "label_clean"})
    assert ds.kind == "text" and ds.text_column == "text"
    assert ds.X.shape[0] == 36 and 2 <= ds.X.shape[1] <= 256 and np.isfinite(ds.X).all()
    assert list(ds.texts) == list(pd.read_csv(text_csv)["text"])
    assert ds.class_names == ("market", "sport", "weather") and ds.truth is not None


def test_explicit_text_column_and_numeric_extras(tmp_path):
    df = text_frame()
    df["length"] = df["text"].str.len()
    df["code"] = "x"  # short strings: not text, and refused as a feature unless dropped
    p = _csv(tmp_path, df.drop(columns="code"))
    ds = load_file(p, {"text_column": "text", "clean_label_column": "label_clean", "text_options": {"dims": 8}})
    assert ds.X.shape == (36, 9)  # 8 SVD dimensions + the numeric column
    msg = _error(_csv(tmp_path, df, "b.csv"), {"clean_label_column": "label_clean"})
    assert msg.startswith("1 feature column is not numeric: 'code'") and "text column" in msg


def test_read_texts_gives_the_texts_without_embedding(text_csv):
    assert list(read_texts(text_csv, {"clean_label_column": "label_clean"})) == list(pd.read_csv(text_csv)["text"])


def test_empty_text_column_is_one_line(tmp_path):
    df = text_frame()
    df["text"] = np.nan
    assert (
        _error(_csv(tmp_path, df), {"text_column": "text", "clean_label_column": "label_clean"})
        == "text column 'text' is empty in every row"
    )


def test_numbers_picked_as_text_is_one_line(tmp_path):
    df = text_frame()
    df["price"] = np.arange(len(df)) * 1.5
    msg = _error(_csv(tmp_path, df), {"text_column": "price", "clean_label_column": "label_clean"})
    assert msg.startswith("text column 'price' holds numbers, not text")


def test_no_text_and_no_numeric_features_is_one_line(tmp_path):
    df = text_frame()[["label"]].assign(colour=lambda d: np.where(d.index % 2, "red", "blue"))
    msg = _error(_csv(tmp_path, df))
    assert msg.startswith("file '") and "no numeric feature column and no text column" in msg
    assert "'colour' (median 4 characters)" in msg and "text_column=NAME" in msg


def test_unknown_and_ambiguous_text_columns(tmp_path):
    df = text_frame()
    assert "text column 'body' is not in the file" in _error(_csv(tmp_path, df), {"text_column": "body"})
    assert "also the label" in _error(_csv(tmp_path, df), {"text_column": "label"})
    df["summary"] = df["text"] + " in brief"
    msg = _error(_csv(tmp_path, df, "two.csv"), {"clean_label_column": "label_clean"})
    assert msg.startswith("several columns hold text ('text', 'summary')")
    ds = load_file(
        str(tmp_path / "two.csv"), {"text_column": "summary", "id_column": "text", "clean_label_column": "label_clean"}
    )
    assert ds.text_column == "summary"


def test_text_column_on_a_non_table_is_refused(tmp_path):
    p = str(tmp_path / "a.npz")
    np.savez(p, X=np.zeros((6, 2)), y=np.array([0, 1] * 3))
    assert "applies to CSV/Parquet tables" in _error(p, {"text_column": "text"})


def test_short_category_columns_are_not_taken_as_text(tmp_path):
    df = pd.DataFrame({"f0": np.arange(12.0), "label": ["a", "b", "c"] * 4})
    assert load_file(_csv(tmp_path, df)).kind == "tabular"
