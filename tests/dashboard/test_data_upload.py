"""The upload component through Streamlit's AppTest: bad files show one message (no traceback, nothing stored),
a good file is stored once under _uploads/<hash>/<file name> and returned for the Set up page."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from dashboard.components.data_upload import digest, store_upload

from .conftest import shown


def _app():
    import os

    import streamlit as st

    from dashboard.components.data_upload import render_data_upload

    st.session_state["result"] = render_data_upload(os.environ["UPLOAD_TEST_LANG"], os.environ["UPLOAD_TEST_RUNS"])


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_TEST_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("UPLOAD_TEST_LANG", "en")
    at = AppTest.from_function(_app, default_timeout=60)
    at.run()
    return at


def csv_bytes(extra: dict | None = None, n_per=5) -> bytes:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "id": range(3 * n_per),
            "x1": rng.normal(size=3 * n_per),
            "x2": rng.normal(size=3 * n_per),
            "kind": np.repeat(["a", "b", "c"], n_per),
        }
    )
    for k, v in (extra or {}).items():
        df[k] = v
    return df.to_csv(index=False).encode()


def upload(at, name: str, data: bytes):
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    return at


def stored(tmp_path) -> list[str]:
    d = tmp_path / "runs" / "_uploads"
    return sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs) if d.exists() else []


def column_box(at, name: str):
    """The column picker for FileOptions field `name` (its widget key carries a digest of its labels)."""
    return next(s for s in at.selectbox if s.key.rsplit(".w", 1)[0].endswith(f".{name}"))


def test_nothing_uploaded_returns_none(app):
    assert app.session_state["result"] is None and not app.error


def test_csv_pick_columns_then_accepted_and_stored(app, tmp_path):
    data = csv_bytes()
    upload(app, "mine.csv", data)
    # 'label' is absent, so the picker starts on the last column ('kind'); id is still a feature -> numeric, fine
    labels = column_box(app, "label_column")
    assert labels.options == ["id", "x1", "x2", "kind"] and labels.value == "kind"
    column_box(app, "id_column").set_value("id")
    app.run()
    res = app.session_state["result"]
    assert res["dataset_options"] == {"label_column": "kind", "id_column": "id"} and res["truth"] is False
    assert res["dataset"] == str(tmp_path / "runs" / "_uploads" / digest(data) / "mine.csv")
    assert res["new"] is False  # accepted on the first run already: only the first acceptance is new
    assert open(res["dataset"], "rb").read() == data
    assert "15 samples, 3 classes" in app.success[0].value
    table = app.dataframe[0].value
    assert list(table.iloc[:, 1]) == [5, 5, 5]
    assert any("No clean labels" in c.value for c in app.caption)


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("bad.csv", csv_bytes({"x2": ["1.5"] * 14 + ["oops"]}), "not numeric: 'x2'"),
        ("empty.csv", b"", "file 'empty.csv' is empty"),
        ("one.csv", b"x,kind\n1,a\n2,a\n3,a\n", "holds a single class ('a')"),
        ("o.npz", None, "object array"),
    ],
)
def test_bad_file_shows_one_message_and_stores_nothing(app, tmp_path, name, data, needle):
    if data is None:
        buf = io.BytesIO()
        np.savez(buf, X=np.array([{"a": 1}, 2], dtype=object), y=np.array([0, 1]))
        data = buf.getvalue()
    upload(app, name, data)
    assert app.session_state["result"] is None
    assert len(app.error) == 1 and needle in shown(app.error[0])
    assert tempfile.gettempdir() not in shown(app.error[0]), "the message names the upload, not a temp file"
    assert stored(tmp_path) == []


def test_clean_labels_unknown_to_labels_show_the_message(app, tmp_path):
    upload(app, "c.csv", csv_bytes({"truth": ["a"] * 14 + ["zebra"]}))
    column_box(app, "label_column").set_value("kind")
    column_box(app, "clean_label_column").set_value("truth")
    app.run()
    assert "never occur in label column 'kind': 'zebra'" in shown(app.error[0])
    assert stored(tmp_path) == []


def _image_zip(shape: tuple[int, ...], extra: dict[str, bytes] | None = None) -> bytes:
    """A ZIP with classes a/ and b/, three PNGs of `shape` each, plus `extra` raw entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for c in ("a", "b"):
            for i in range(3):
                b = io.BytesIO()
                Image.fromarray(np.full(shape, 40 * i, np.uint8)).save(b, "PNG")
                zf.writestr(f"{c}/{i}.png", b.getvalue())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_corrupt_image_zip_is_named(app, tmp_path):
    upload(app, "imgs.zip", _image_zip((6, 6), {"b/broken.png": b"\x89PNG\r\n\x1a\nnot really"}))
    assert shown(app.error[0]).startswith("image 'b/broken.png' in the ZIP is corrupt")
    assert stored(tmp_path) == []


def test_zip_options_are_offered(app, tmp_path):
    upload(app, "imgs.zip", _image_zip((6, 6, 3)))
    app.number_input[0].set_value(8)
    app.checkbox[0].set_value(True)  # grayscale
    app.run()
    res = app.session_state["result"]
    assert res["dataset_options"] == {"image_size": 8, "grayscale": True}
    assert "input shape 1×8×8 (image)" in app.success[0].value


def test_uploader_offers_only_readable_formats(app):
    # Streamlit itself refuses other extensions before the component sees the file.
    assert sorted(app.file_uploader[0].allowed_type) == [".csv", ".npz", ".parquet", ".zip"]


def test_upload_over_the_limit_is_refused_and_not_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_TEST_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("UPLOAD_TEST_LANG", "en")
    monkeypatch.setenv("LABELSCOPE_MAX_UPLOAD_MB", "0.0001")
    at = AppTest.from_function(_app, default_timeout=60)
    at.run()
    upload(at, "big.csv", csv_bytes(n_per=20))
    assert at.session_state["result"] is None
    assert "larger than the 0.0001 MB limit (max_upload_mb)" in shown(at.error[0]) and stored(tmp_path) == []


def test_raised_limit_travels_with_the_options(tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_TEST_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("UPLOAD_TEST_LANG", "en")
    monkeypatch.setenv("LABELSCOPE_MAX_UPLOAD_MB", "500")
    at = AppTest.from_function(_app, default_timeout=60)
    at.run()
    upload(at, "ok.csv", csv_bytes())
    assert at.session_state["result"]["dataset_options"]["max_upload_mb"] == 500.0


def test_japanese_labels(app, tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOAD_TEST_LANG", "ja")
    upload(app, "mine.csv", csv_bytes())
    assert app.selectbox[0].label == "ラベル列" and app.success[0].value.startswith("ファイルを受け付けました")


def test_store_upload_never_overwrites(tmp_path):
    runs = str(tmp_path)
    p = store_upload(b"abc", "our data.csv", runs)
    assert os.path.basename(p) == "our_data.csv"  # pickers show the file's own name
    os.chmod(p, 0o444)
    mtime = os.stat(p).st_mtime_ns
    assert store_upload(b"abc", "our data.csv", runs) == p and os.stat(p).st_mtime_ns == mtime
    q = store_upload(b"abd", "our data.csv", runs)  # same name, other bytes: kept apart
    assert q != p and open(q, "rb").read() == b"abd" and open(p, "rb").read() == b"abc"
    assert os.path.basename(q) == os.path.basename(p)
