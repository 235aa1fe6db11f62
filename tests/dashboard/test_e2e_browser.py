"""End to end in a real browser: start `labelscope dashboard`, run a 2-method comparison on digits from the
Set up page, and wait for the Compare page to show its table, charts and verdict."""

from __future__ import annotations

import time

import pytest

from core.store.reader import RunReader, list_runs

pytestmark = pytest.mark.slow  # drives a real browser through a comparison


def test_two_method_comparison_through_the_browser(tmp_path, dashboard_url, browser_page):
    from playwright.sync_api import expect

    url, runs_dir = dashboard_url
    page = browser_page
    page.goto(url + "/")
    expect(page.get_by_role("heading", name="Set up a comparison")).to_be_visible()
    # The default form: digits, 40% symmetric noise, ce and label_smoothing ticked.
    expect(page.get_by_label("Dataset")).to_be_visible()
    for label, value in (("Epochs", "3"), ("Seeds per method", "1")):
        box = page.get_by_role("spinbutton", name=label)
        expect(box).to_have_count(1, timeout=30_000)  # a rerun can briefly show a stale input beside the new one
        box.fill(value)
        expect(box).to_have_count(1, timeout=30_000)
        box.press("Enter")
        time.sleep(0.5)
    expect(page.get_by_text("2 runs: ce, label_smoothing × 1 seeds, 3 epochs each.")).to_be_visible()
    page.get_by_role("button", name="Run the comparison").click()
    expect(page.get_by_role("heading", name="Live training")).to_be_visible()
    expect(page.get_by_text("All runs have finished")).to_be_visible(timeout=150_000)
    page.get_by_text("Go to the Compare page").click()
    expect(page.get_by_role("heading", name="Compare methods")).to_be_visible()
    expect(page.get_by_text("Summary (mean ± std over seeds)")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    # the curves' legend names the method in words (the table, a canvas grid, has no visible text to find)
    expect(page.locator(".js-plotly-plot").first.get_by_text("label smoothing (n=1)")).to_be_visible()
    expect(
        page.get_by_text("label smoothing (label_smoothing) vs plain training (ce)", exact=False)
    ).to_be_visible()  # one-seed verdict
    assert page.locator(".js-plotly-plot").count() >= 2
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
    assert (tmp_path / "compare.png").stat().st_size > 10_000
    states = [RunReader(r.dir).status()["state"] for r in list_runs(runs_dir)]
    assert states == ["completed", "completed"]
