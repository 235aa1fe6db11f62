"""A deep link to a freshly started server opens that page inside the app (language switch, page menu),
not Streamlit's raw page list: dashboard/serve.py turns the old pages-folder mode off."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_deep_link_to_a_fresh_server_shows_the_app(dashboard_url, browser_page):
    from playwright.sync_api import expect

    url, _ = dashboard_url
    page = browser_page
    page.goto(url + "/compare")  # the very first request this server sees
    expect(page.get_by_role("heading", name="Compare methods")).to_be_visible()
    expect(page.get_by_text("Language / 言語")).to_be_visible()  # the router's sidebar ran
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text("Set up")).to_be_visible()  # titled pages, not file names
    assert nav.get_by_text("setup", exact=True).count() == 0 and nav.get_by_text("app", exact=True).count() == 0
