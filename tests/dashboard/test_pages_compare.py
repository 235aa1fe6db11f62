"""Compare page on the fixture comparison: curves, table, bars and the verdict, in both languages."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.engine.suite import suite_rows
from core.store.reader import RunReader
from core.store.record import RunRecord
from core.verdict import verdict

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "dashboard", "app.py")


@pytest.fixture
def page(tiny_suite, open_page):
    return open_page("pages/compare.py", tiny_suite["runs_dir"])


def _records(tiny_suite):
    out = []
    for rid in tiny_suite["run_ids"]:
        out.append(RunRecord.read(RunReader(os.path.join(tiny_suite["runs_dir"], rid))))
    return out


def test_table_holds_the_suite_numbers(page, tiny_suite):
    df = page.dataframe[0].value
    rows = {r["method"]: r for r in suite_rows(_records(tiny_suite))}
    # methods in words, the id as the secondary label
    assert list(df["method"]) == ["plain training (ce)", "label smoothing (label_smoothing)"] and list(rows) == [
        "ce",
        "label_smoothing",
    ]
    df["method"] = list(rows)
    for _, row in df.iterrows():
        ref = rows[row["method"]]
        assert row["test acc (final)"] == f"{ref['test_acc_final_mean']:.3f} ± {ref['test_acc_final_std']:.3f}"
        assert row["runs done"] == "2/2"
    for col in (
        "test acc (best)",
        "noise-detection AUROC (out of sample)",
        "random-label head acc",
        "wall time (s)",
        "cost vs ce",
    ):
        assert col in df.columns
    assert df.set_index("method").loc["ce", "cost vs ce"] == "1.00×"


def test_charts_and_verdict(page, tiny_suite):
    charts = page.get("plotly_chart")
    assert len(charts) == 2  # curves with band + bars
    expected = verdict(_records(tiny_suite), "en")
    text = " ".join(m.value for m in page.markdown)
    assert expected[0] in text


def test_smoothing_and_metric_controls_redraw(page):
    page.slider(key="compare-smoothing").set_value(0.6).run()
    page.selectbox(key="compare-metric-en").set_value("train/memorized").run()
    assert not page.exception
    assert len(page.get("plotly_chart")) == 2


def test_japanese(tiny_suite, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_RUNS", tiny_suite["runs_dir"])
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.radio[0].set_value("ja").run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.title[0].value == "手法を比較"
    assert "手法" in at.dataframe[0].value.columns
