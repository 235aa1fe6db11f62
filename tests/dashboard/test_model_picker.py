"""Set up page, model choice: the automatic model is named with its reason; the Hugging Face entry offers a
short list of backbones plus free text and hands `hf:<id>` with the mode to the run config."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t

APP = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "dashboard",
    "app.py",
)


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_RUNS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def test_automatic_model_is_named_with_its_reason(page, choice_of):
    choice_of(page.selectbox, "setup.dataset").set_value("mnist5k").run()
    captions = " ".join(c.value for c in page.caption)
    assert (
        t(
            "setup.model_chosen",
            "en",
            model="cnn_small",
            reason=t("model_reason.image", "en"),
        )
        in captions
    )


def test_hf_entry_offers_backbones_and_free_text(page, choice_of, tiny_hf_model):
    from dashboard.components.model_picker import OTHER

    choice_of(page.selectbox, "setup.model").set_value("hf").run()
    pick = choice_of(page.selectbox, "setup.hf_pick")
    assert "microsoft/resnet-18" in pick.options and len(pick.options) >= 4
    pick.set_value(OTHER).run()
    page.text_input(key="setup.hf_source").input(tiny_hf_model).run()
    assert not page.exception and page.text_input(key="setup.hf_source").value == tiny_hf_model
    assert t("setup.hf_mode.frozen", "en") in choice_of(page.radio, "setup.hf_mode").options


def test_picker_hands_hf_source_and_mode_to_the_config(tiny_hf_model):
    from core.engine.run_config import make_config

    cfg = make_config(
        {
            "dataset": "digits",
            "model": f"hf:{tiny_hf_model}",
            "model_options": {"mode": "frozen"},
        }
    )
    assert cfg.model == "hf" and cfg.model_options == {
        "mode": "frozen",
        "source": tiny_hf_model,
    }
