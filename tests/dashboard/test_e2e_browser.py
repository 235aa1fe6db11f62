"""End to end in a real browser: start `labelscope dashboard`, run a 2-method comparison on digits from the
Set up page, and wait for the Compare page to show its table, charts and verdict."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from core.store.reader import RunReader, list_runs

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TERMINAL = ("completed", "failed", "stopped")

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def _stop_everything(server: subprocess.Popen, runs_dir: str) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    # Runs live in their own sessions (they outlive the app by design): stop them and wait for them to go.
    for r in list_runs(runs_dir):
        if RunReader(r["dir"]).status().get("state") not in TERMINAL:
            open(os.path.join(r["dir"], "STOP"), "w").close()
    end = time.time() + 60
    while time.time() < end and any(RunReader(r["dir"]).status().get("state") not in TERMINAL
                                    for r in list_runs(runs_dir)):
        time.sleep(0.3)


def test_two_method_comparison_through_the_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    runs_dir = str(tmp_path / "runs")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "core", "dashboard", "--port", str(port), "--runs-dir", runs_dir],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/_stcore/health", 60)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.set_default_timeout(120_000)
            expect.set_options(timeout=120_000)
            page.goto(f"http://127.0.0.1:{port}/")
            expect(page.get_by_role("heading", name="Set up a comparison")).to_be_visible()
            # The default form: digits, 40% symmetric noise, ce and label_smoothing ticked.
            expect(page.get_by_label("Dataset")).to_be_visible()
            for label, value in (("Epochs", "3"), ("Seeds per method", "1")):
                box = page.get_by_role("spinbutton", name=label)
                box.fill(value)
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
            expect(page.get_by_text("label_smoothing").first).to_be_visible()
            expect(page.get_by_text("label_smoothing vs ce", exact=False)).to_be_visible()  # one-seed verdict
            assert page.locator(".js-plotly-plot").count() >= 2
            page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
            browser.close()
        assert (tmp_path / "compare.png").stat().st_size > 10_000
        states = [RunReader(r["dir"]).status()["state"] for r in list_runs(runs_dir)]
        assert states == ["completed", "completed"]
    finally:
        _stop_everything(server, runs_dir)
