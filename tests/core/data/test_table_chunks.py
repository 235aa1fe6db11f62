"""The chunked table reader gives what reading the whole table as one pandas frame gave (the reader before
issue 17 item 9, kept below as the oracle), chunk by chunk, and never holds more than a chunk of the file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.data import read_table, table_chunks
from core.data._validate import check_finite, positions
from core.data.file_options import FileOptions
from core.data.text import column as text_col
from core.errors import UserError


# ------------------------------------------------------------------------------- the oracle: one whole frame
def _whole_frame(path: str) -> pd.DataFrame:
    fmt = "CSV" if path.endswith(".csv") else "Parquet"
    try:
        if fmt == "CSV":
            df = pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
        else:
            df = pd.read_parquet(path)
    except pd.errors.EmptyDataError:
        raise UserError(f"file '{path}' is empty") from None
    except UnicodeDecodeError:
        raise UserError(f"cannot read '{path}' as CSV: it is not UTF-8 text") from None
    except Exception as e:
        raise UserError(f"cannot read '{path}' as {fmt}: {table_chunks._first_line(e)}") from None
    if df.shape[1] == 0 or len(df) == 0:
        raise UserError(f"file '{path}' has no data rows")
    df.columns = [str(c) for c in df.columns]
    return df


def _whole_numeric(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    bad = []
    for c in cols:
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            continue
        wrong = pd.to_numeric(s, errors="coerce").isna() & s.notna()
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
    return df[cols].to_numpy(dtype=np.float32)


def whole_frame_read(path: str, o: FileOptions):
    """The pre-chunking `read_table`: (X, labels, clean, kind, texts, text column) from one whole frame."""
    df = _whole_frame(path)
    label, clean, special = read_table._special(list(df.columns), o)
    feats = [c for c in df.columns if c not in special]
    text = text_col.pick_text_column(df, feats, o.text_column)
    if text:
        feats.remove(text)
    elif not feats:
        raise UserError(f"file '{path}' has no feature columns besides {', '.join(special)}")
    elif len(text_col.non_numeric(df, feats)) == len(feats):
        raise UserError(text_col.no_features_message(df, feats, path))
    X = _whole_numeric(df, feats) if feats else np.zeros((len(df), 0), np.float32)
    check_finite(X, "the feature columns", "row", feats)
    return (
        X,
        read_table._labels(df[label]),
        read_table._labels(df[clean]) if clean else None,
        "text" if text else "tabular",
        text_col.texts_of(df[text]) if text else None,
        text or "",
    )


def _outcome(fn):
    try:
        return fn()
    except UserError as e:
        return f"UserError: {e}"


def _same_values(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fiub" and b.dtype.kind in "fiub":
        return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    same = [
        (x is None and y is None) or (type(x) is type(y) and x == y) or (x != x and y != y)
        for x, y in zip(a.tolist(), b.tolist(), strict=True)
    ]
    return all(same)


def assert_same(path: str, options: dict | None = None, chunk_rows=(1, 2, 3, 7, None)) -> None:
    """Every chunk size reads `path` exactly as the whole frame did, or fails with the very same line."""
    o = FileOptions(**(options or {}))
    want = _outcome(lambda: whole_frame_read(path, o))
    for rows in chunk_rows:
        raw = _outcome(lambda rows=rows: read_table.read_table(path, o, chunk_rows=rows))
        if isinstance(want, str):
            assert raw == want, (rows, raw)
            continue
        assert not isinstance(raw, str), (rows, raw)
        got = (raw.X, raw.labels, raw.clean, raw.kind, raw.texts, raw.text_column)
        names = ("X", "labels", "clean", "kind", "texts", "text_column")
        for name, g, w in zip(names, got, want, strict=True):
            if name in ("kind", "text_column"):
                assert g == w, (rows, name, g, w)
            else:
                assert _same_values(g, w), (rows, name, g, w)


def _write(tmp_path, text: str, name="t.csv") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def _blobs(n=23, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.normal(size=(n, 4)).round(4), columns=["f0", "f1", "f2", "f3"])
    df["label"] = [f"c{i % 3}" for i in range(n)]
    return df


# ------------------------------------------------------------------------------------------------ same arrays
def test_plain_numeric_table(tmp_path):
    df = _blobs()
    df["ints"] = np.arange(len(df))
    df["flag"] = [i % 2 == 0 for i in range(len(df))]
    p = str(tmp_path / "a.csv")
    df.to_csv(p, index=False)
    assert_same(p)
    assert_same(p, {"id_column": "ints"})


def test_quoted_fields_commas_newlines_and_a_byte_order_mark(tmp_path):
    rows = ["\ufefff0,f1,note,label"]
    for i in range(12):
        note = f'"line one, with a comma {i}\nand a second line that makes it long enough"'
        rows.append(f'"{i}.5",{i * 2},{note},"class, {i % 2}"')
    p = _write(tmp_path, "\n".join(rows) + "\n")
    assert_same(p)
    assert_same(p, {"text_column": "note"})
    assert read_table.read_table(p, FileOptions(), chunk_rows=5).text_column == "note"


def test_header_only_and_blank_lines(tmp_path):
    assert_same(_write(tmp_path, "a,b,label\n", "h.csv"))
    text = "a,b,label\n\n1,2,x\n3,4,y\n\n\n5,6,x\n7,8,y\n\n9,10,x\n11,12,y\n\n"
    assert_same(_write(tmp_path, text, "blank.csv"))
    assert_same(_write(tmp_path, text.replace("9,10", "9,oops"), "blank_bad.csv"))


def test_a_bad_value_in_the_last_chunk_names_its_row(tmp_path):
    df = _blobs(n=40).astype({"f2": object})
    df.loc[38, "f2"] = "n/a?"
    p = str(tmp_path / "bad.csv")
    df.to_csv(p, index=False)
    assert_same(p)
    msg = _outcome(lambda: read_table.read_table(p, FileOptions(), chunk_rows=7))
    assert msg.startswith("UserError: 1 feature column is not numeric: 'f2'") and "'n/a?' in column 'f2' row 39" in msg


def test_nan_and_inf_in_late_chunks_are_counted_and_placed(tmp_path):
    df = _blobs(n=30)
    df.loc[3, "f0"] = np.nan
    df.loc[27, "f0"] = np.inf
    df.loc[29, "f3"] = -np.inf
    p = str(tmp_path / "nan.csv")
    df.to_csv(p, index=False)
    assert_same(p)
    msg = _outcome(lambda: read_table.read_table(p, FileOptions(), chunk_rows=4))
    assert "3 NaN/inf values" in msg and "column 'f0' rows 4, 28" in msg and "column 'f3' row 30" in msg


def test_label_column_typed_as_a_whole(tmp_path):
    # numbers in the first chunks and a word at the end; missing labels; booleans with and without gaps
    base = _blobs(n=12).drop(columns="label")
    cases = {
        "mixed": [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, "cat"],
        "floats": [1.0, 2.0, 3.0] * 4,
        "missing": [1, 2, 3, None, 1, 2, 3, 1, 2, 3, None, 1],
        "bool": [True, False] * 6,
        "bool_gap": [True, False, None] * 4,
        "decimal": [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1.5, 2],
    }
    for name, labels in cases.items():
        df = base.copy()
        df["label"] = labels
        p = str(tmp_path / f"{name}.csv")
        df.to_csv(p, index=False)
        assert_same(p)
    p = _write(tmp_path, "f0,label\n" + "".join(f"{i},{'TRUE' if i % 2 else 'false'}\n" for i in range(10)), "tf.csv")
    assert_same(p)


def test_clean_labels_and_unknown_columns(tmp_path):
    df = _blobs(n=18)
    df["truth"] = df["label"]
    df.loc[17, "truth"] = "ghost"
    p = str(tmp_path / "c.csv")
    df.to_csv(p, index=False)
    assert_same(p, {"clean_label_column": "truth"})
    assert_same(p, {"label_column": "species"})
    assert_same(p, {"clean_label_column": "nope"})
    assert_same(p, {"text_column": "label"})
    msg = _outcome(lambda: read_table.read_table(p, FileOptions(label_column="species")))
    assert "label column 'species' is not in the file; its columns are 'f0', 'f1'" in msg


def test_text_columns_detected_named_and_refused(tmp_path):
    long = "a sentence that is clearly longer than twenty characters"
    n = 15
    # A text column whose first chunks look like numbers stays text, written as in the file.
    texts = ["2024", "007", "1.50"] + [f"{long} {i}" for i in range(n - 3)]
    df = pd.DataFrame({"text": texts, "x": np.arange(n) / 4, "label": [f"k{i % 3}" for i in range(n)]})
    p = str(tmp_path / "t.csv")
    df.to_csv(p, index=False)
    assert_same(p)
    assert_same(p, {"text_column": "text"})
    assert list(read_table.read_table(p, FileOptions(), chunk_rows=2).texts[:3]) == ["2024", "007", "1.50"]
    assert list(read_table.texts(p, FileOptions(), chunk_rows=2)) == list(pd.read_csv(p, dtype=str)["text"])
    df["other"] = [f"{long} again {i}" for i in range(n)]
    df.to_csv(p2 := str(tmp_path / "two.csv"), index=False)
    assert_same(p2)  # several text columns: one line naming them
    df["code"] = ["x", "y", "z"] * 5
    df.drop(columns=["other"]).to_csv(p3 := str(tmp_path / "code.csv"), index=False)
    assert_same(p3)  # a short-string column beside the text: not numeric
    df[["code", "label"]].to_csv(p4 := str(tmp_path / "short.csv"), index=False)
    assert_same(p4)  # short strings only: no features
    pd.DataFrame({"text": [None] * 6, "x": range(6), "label": ["a", "b"] * 3}).to_csv(
        p5 := str(tmp_path / "empty.csv"), index=False
    )
    assert_same(p5, {"text_column": "text"})
    assert_same(p, {"text_column": "x"})  # numbers named as text


def test_parquet_read_by_row_groups_equals_the_whole_file(tmp_path):
    df = _blobs(n=31)
    df["truth"] = df["label"]
    p = str(tmp_path / "d.parquet")
    df.to_parquet(p, index=False, row_group_size=6)
    assert_same(p, {"clean_label_column": "truth"}, chunk_rows=(1, 4, 6, None))
    assert read_table.columns(p) == list(df.columns)


# --------------------------------------------------------------------------------------- bounded by a chunk
def test_the_reader_never_holds_the_whole_file(tmp_path, monkeypatch):
    n, rows = 1000, 64
    df = _blobs(n=n)
    df["text"] = [f"row {i} says something long enough to be text" for i in range(n)]
    p = str(tmp_path / "big.csv")
    df.to_csv(p, index=False)
    calls, sizes = [], []
    real_read_csv, real_chunks = pd.read_csv, table_chunks.chunks

    def read_csv(*a, **kw):
        calls.append(kw)
        return real_read_csv(*a, **kw)

    def chunks(*a, **kw):
        for frame in real_chunks(*a, **kw):
            sizes.append(len(frame))
            yield frame

    monkeypatch.setattr(table_chunks.pd, "read_csv", read_csv)
    monkeypatch.setattr(table_chunks, "chunks", chunks)
    raw = read_table.read_table(p, FileOptions(), chunk_rows=rows)
    assert raw.X.shape == (n, 4) and raw.texts is not None and len(raw.texts) == n
    # Every parse is of the header alone or chunked; no frame ever had more than `rows` rows.
    assert all(kw.get("nrows") == 0 or kw.get("chunksize") == rows for kw in calls), calls
    assert max(sizes) == rows and sum(sizes) == 2 * n  # two passes: all columns, then the text column
    scan = table_chunks.scan(p, ["f0", "f1", "f2", "f3"], ["label"], chunk_rows=rows)
    assert scan.chunks == -(-n // rows) == 16 and scan.X.dtype == np.float32
    assert scan.coded["label"].codes.dtype == np.int32 and len(scan.coded["label"].uniques) == 3


def test_default_chunk_is_bounded_by_cells_not_rows(tmp_path):
    df = _blobs(n=50)
    p = str(tmp_path / "w.csv")
    df.to_csv(p, index=False)
    scan = table_chunks.scan(p, ["f0", "f1", "f2", "f3"], ["label"])
    assert scan.chunks == 1 and table_chunks.CHUNK_CELLS // 5 > 50


@pytest.mark.parametrize("content", [b"", bytes(range(128, 256)) * 4])
def test_unreadable_files_keep_their_one_line(tmp_path, content):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(UserError) as e:
        read_table.read_table(str(p), FileOptions())
    assert str(e.value) in (f"file '{p}' is empty", f"cannot read '{p}' as CSV: it is not UTF-8 text")


def test_a_broken_row_late_in_the_file_is_one_line(tmp_path):
    text = "a,b,label\n" + "".join(f"{i},{i},x\n" for i in range(30)) + "1,2,3,4,5\n"
    p = _write(tmp_path, text)
    with pytest.raises(UserError) as e:
        read_table.read_table(p, FileOptions(), chunk_rows=4)
    msg = str(e.value)
    assert msg.startswith(f"cannot read '{p}' as CSV:") and "line 32" in msg and "\n" not in msg


@pytest.mark.parametrize(
    "text, options",
    [
        ("a,a,label\n" + "".join(f"{i},{i * 2},{'xy'[i % 2]}\n" for i in range(12)), {}),  # pandas renames 'a.1'
        ("label,f,label\n" + "".join(f"{i % 2},{i},{'xy'[i % 2]}\n" for i in range(12)), {}),
        ("f,label\n" + "".join(f"{i}, c{i % 2} \n" for i in range(12)), {}),  # spaces around a label
        (
            "f,label,t\n"
            + "".join(f"{i},{['NA', 'a', 'b'][i % 3]},{'null' if i == 3 else 'word ' * 6}\n" for i in range(12)),
            {},
        ),
        (
            "f,label,t\n" + "".join(f"{i},{'ab'[i % 2]},{'null' if i == 3 else 'word ' * 6}\n" for i in range(12)),
            {"text_column": "t"},
        ),
    ],
)
def test_odd_headers_and_missing_words(tmp_path, text, options):
    assert_same(_write(tmp_path, text), options)


def test_an_index_column_written_by_pandas(tmp_path):
    p = str(tmp_path / "idx.csv")
    _blobs(n=20).to_csv(p)  # first header cell empty: 'Unnamed: 0'
    assert_same(p)
