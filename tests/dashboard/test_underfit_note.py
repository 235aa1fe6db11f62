"""The Compare page's underfit note: a warning with the count and the advice when finished runs look underfit."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    from core.store.record import RunRecord
    from dashboard.components.underfit_note import underfit_note

    u = {"train_gain": 0.1, "val_gain": 0.05, "over_epochs": 2, "train_acc": 0.7, "advice_epochs": 20}
    underfit_note(
        [RunRecord("a", {}, {"underfit": u, "model": "cnn_small"}), RunRecord("b", {}, {"model": "cnn_small"})], "en"
    )


def _quiet_page():
    from core.store.record import RunRecord
    from dashboard.components.underfit_note import underfit_note

    underfit_note([RunRecord("a", {}, {"model": "mlp"})], "en")


def test_warns_with_count_and_advice():
    at = AppTest.from_function(_page).run()
    assert not at.exception and len(at.warning) == 1
    text = at.warning[0].value
    assert "1 of 2" in text and "20 epochs" in text and "cnn_small" in text


def test_silent_when_no_run_is_underfit():
    at = AppTest.from_function(_quiet_page).run()
    assert not at.exception and len(at.warning) == 0
