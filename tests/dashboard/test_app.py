"""The router: five pages through st.navigation, Set up by default, and the language switch."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "dashboard", "app.py")


@pytest.fixture
def app(tiny_suite, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_RUNS", tiny_suite["runs_dir"])
    return AppTest.from_file(APP, default_timeout=120)


def test_opens_on_set_up_with_language_switch(app):
    app.run()
    assert not app.exception
    assert [x.value for x in app.title] == ["Set up a comparison"]
    switch = app.sidebar.radio[0]
    assert switch.options == ["English", "日本語"]
    switch.set_value("ja").run()
    assert not app.exception
    assert [x.value for x in app.title] == ["比較をセットアップ"]


@pytest.mark.parametrize("page, title", [("pages/live.py", "Live training"), ("pages/compare.py", "Compare methods")])
def test_routes_to_pages(app, page, title):
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    assert app.title[0].value == title
