"""A CSV with a text column through the dashboard (AppTest): upload, detected text column, a comparison that
trains on the cached embedding, and the Samples page showing the texts as plain text."""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.features.cache import FOLDER
from core.i18n import t
from core.store.reader import RunReader, list_suites
from dashboard import launcher
from dashboard.components.data_upload import digest

from .conftest import choice_of

APP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "dashboard", "app.py"))

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "sample_data", "wordnet_glosses.csv")


def _csv_bytes(rows: int = 240) -> tuple[bytes, pd.DataFrame]:
    df = pd.read_csv(SAMPLE).head(rows)
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue().encode(), df


@pytest.mark.slow
def test_text_csv_trains_from_the_dashboard_and_samples_show_the_text(tmp_path, monkeypatch):
    runs = str(tmp_path)
    monkeypatch.setenv("LABELSCOPE_RUNS", runs)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    choice_of(at.selectbox, "setup.dataset").set_value("__own__").run()
    data, df = _csv_bytes()
    at.file_uploader[0].set_value(("glosses.csv", data, "text/csv")).run()
    choice_of(at.selectbox, f"data_upload.{digest(data)}.clean_label_column").set_value("label_clean").run()
    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert t("upload.text_found", column="text", encoder="tfidf") in captions
    cached = [f for f in os.listdir(os.path.join(runs, FOLDER)) if f.endswith(".npy")]
    assert len(cached) == 1  # the upload preview embedded the texts once
    stamp = os.stat(os.path.join(runs, FOLDER, cached[0])).st_mtime_ns
    at.number_input(key="setup.epochs").set_value(3).run()
    at.number_input(key="setup.seeds").set_value(1).run()
    at.button(key="run").click().run()
    try:
        assert not at.exception
        assert launcher.wait_all(timeout=300)
        (suite,) = list_suites(runs)
        assert sorted(suite["methods"]) == ["ce", "label_smoothing"]
        for rid in suite["run_ids"]:
            r = RunReader(os.path.join(runs, rid))
            assert r.status()["state"] == "completed", r.status()
            s = r.summary()
            assert 0.0 <= s["test_acc_final"] <= 1.0 and "noise_auroc" in s  # truth is known: metrics shown
        # every run read the embedding from the cache: still one entry, never rewritten
        assert [f for f in os.listdir(os.path.join(runs, FOLDER)) if f.endswith(".npy")] == cached
        assert os.stat(os.path.join(runs, FOLDER, cached[0])).st_mtime_ns == stamp
    finally:
        for s in list_suites(runs):
            launcher.stop_runs(runs, s["run_ids"])
        launcher.wait_all(timeout=60)

    at.switch_page("pages/samples.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    shown = table[t("samples.col.text")].tolist()
    idx = table[t("samples.col.index")].tolist()
    full = df["text"][idx[0]]
    assert shown[0] == (full if len(full) <= 120 else full[:119] + "…")
    assert t("samples.col.image") not in table.columns
    assert full in [e.value for e in at.text]  # the card: the full text, as plain text
    observed = table[t("samples.col.observed")].tolist()
    assert observed[0] == df["label"][idx[0]]


def test_a_file_with_neither_text_nor_numbers_is_one_line_in_set_up(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_RUNS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    choice_of(at.selectbox, "setup.dataset").set_value("__own__").run()
    data = ("label,colour\n" + "\n".join(f"{'ab'[i % 2]},{['red', 'blue'][i % 2]}" for i in range(12))).encode()
    at.file_uploader[0].set_value(("short.csv", data, "text/csv")).run()
    assert not at.exception
    (err,) = [e.value.replace("\\", "") for e in at.error]  # (user text is shown Markdown-escaped)
    assert "no numeric feature column and no text column" in err and "\n" not in err and "short.csv" in err
    assert not os.path.isdir(os.path.join(str(tmp_path), "_uploads"))  # nothing stored


def test_bundled_text_sample_is_offered_with_its_real_noise(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_RUNS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    choice_of(at.selectbox, "setup.dataset").set_value("wordnet_glosses").run()
    choice_of(at.radio, "setup.noise_mode").set_value("real").run()
    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert t("setup.noise_real_note_truth") in captions  # its labels are noisy; the truth scores the runs
    assert any(t("model_reason.text") in c for c in captions + [m.value for m in at.markdown])
