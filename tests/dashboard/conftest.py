"""Dashboard test helpers: the app's path and a page opened through the router on a runs folder."""
from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "dashboard", "app.py")


@pytest.fixture
def open_page(monkeypatch):
    """open_page(path, runs_dir) -> AppTest switched to `path` (e.g. "pages/live.py"), checked for exceptions."""

    def _open(path: str, runs_dir: str) -> AppTest:
        monkeypatch.setenv("LABELSCOPE_RUNS", runs_dir)
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.switch_page(path).run()
        assert not at.exception
        return at

    return _open
