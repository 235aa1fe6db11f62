"""Dashboard test helpers: widgets drawn by `choose`, a real `labelscope dashboard` server, a headless browser page."""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

# open_page lives in tests/conftest.py (the reliability suite opens pages too).


def choice_of(widgets, key: str):
    """The widget drawn by `dashboard.components.choice.choose(..., key=key)` among `widgets` (e.g. at.selectbox):
    its own key is `key` plus a digest of its labels."""
    return next(w for w in widgets if (w.key or "").rsplit(".w", 1)[0] == key)


@pytest.fixture(name="choice_of")
def _choice_of():
    return choice_of


CHROMIUM = "/usr/bin/chromium"  # Debian's; tests never download a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_TERMINAL = ("completed", "failed", "stopped")


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
    from core.store.reader import RunReader, list_runs

    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    # Runs live in their own sessions (they outlive the app by design): stop them and wait for them to go.
    for r in list_runs(runs_dir):
        if RunReader(r.dir).status().get("state") not in _TERMINAL:
            open(os.path.join(r.dir, "STOP"), "w").close()
    end = time.time() + 60
    while time.time() < end and any(
        RunReader(r.dir).status().get("state") not in _TERMINAL for r in list_runs(runs_dir)
    ):
        time.sleep(0.3)


@pytest.fixture
def dashboard_url(tmp_path):
    """A `labelscope dashboard` server on a free port over tmp_path/runs: yields (url, runs_dir); afterwards the
    server and every run it started are stopped."""
    runs_dir = str(tmp_path / "runs")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "core", "dashboard", "--port", str(port), "--runs-dir", runs_dir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/_stcore/health", 60)
        yield f"http://127.0.0.1:{port}", runs_dir
    finally:
        _stop_everything(server, runs_dir)


@pytest.fixture
def browser_page():
    """A headless Debian-Chromium page (1500x1100) with generous timeouts; closed afterwards."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.set_default_timeout(120_000)
        expect.set_options(timeout=120_000)
        try:
            yield page
        finally:
            browser.close()


def shown(text) -> str:
    """The text a user reads: pages escape user strings for Markdown (`plain`); the browser shows them as typed.
    Takes a string or an AppTest element (its `.value`)."""
    raw = text if isinstance(text, str) else text.value
    return html.unescape(re.sub(r"\\(.)", r"\1", raw))
