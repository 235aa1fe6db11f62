"""Export panel: the one-click meeting pack and per-chart files come back as downloads; no browser shows the hint."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from core.export import BROWSER_ENV
from core.i18n import t

from .conftest import shown


def _panel(runs_dir: str, target_id: str, lang: str) -> None:
    from dashboard.components.export_panel import render_export_panel

    render_export_panel(runs_dir, target_id, lang)


def _app(tiny_suite, lang="en") -> AppTest:
    at = AppTest.from_function(
        _panel,
        kwargs={"runs_dir": tiny_suite["runs_dir"], "target_id": tiny_suite["suite_id"], "lang": lang},
        default_timeout=240,
    )
    at.run()
    assert not at.exception
    return at


def _downloads(at: AppTest) -> dict[str, str]:
    """File name (from the button label) -> media URL (the bytes were handed to Streamlit's media store)."""
    out = {}
    for d in at.get("download_button"):
        name = re.search(r"[\w.-]+\.(zip|pptx|pdf|png|svg|html|csv)", shown(d.proto.label)).group(0)
        assert d.proto.url
        out[name] = d.proto.url
    return out


def test_defaults_list_the_deck_charts(tiny_suite):
    at = _app(tiny_suite)
    assert at.multiselect[0].value[:2] == ["bars", "curves"]
    assert [b.label for b in at.button] == [t("export.panel.pack", "en"), t("export.panel.make", "en")]


def test_csv_files_come_as_one_zip(tiny_suite):
    at = _app(tiny_suite)
    at.multiselect[0].set_value(["bars", "curves"])
    at.selectbox[0].set_value("csv")
    at.button[1].click().run()
    assert not at.exception and not at.error
    names = list(_downloads(at))
    assert names == [f"{tiny_suite['suite_id']}_en_csv.zip"]  # the language is in the name


def test_one_click_meeting_pack(tiny_suite):
    from core.export.images import warm_browser

    at = _app(tiny_suite, lang="ja")
    at.multiselect[0].set_value(["bars"])  # one chart keeps the test short; the deck tests cover more
    with warm_browser():
        at.button[0].click().run()
    assert not at.exception and not at.error
    names = sorted(_downloads(at))
    assert names == sorted(f"{tiny_suite['suite_id']}_ja_meeting.{ext}" for ext in ("pdf", "pptx"))


def test_no_browser_shows_the_install_hint_and_csv_still_works(tiny_suite, monkeypatch):
    monkeypatch.setenv(BROWSER_ENV, "/nonexistent/chromium")
    at = _app(tiny_suite)
    at.button[0].click().run()
    assert not at.exception
    assert "apt-get install chromium" in shown(at.error[0])
    at.selectbox[0].set_value("csv")
    at.button[1].click().run()
    assert len(_downloads(at)) == 1
