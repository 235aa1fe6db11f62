"""Live page on the fixture comparison, and its progress/ETA arithmetic."""
from __future__ import annotations

import time

import pytest

@pytest.fixture
def page(tiny_suite, open_page):
    return open_page("pages/live.py", tiny_suite["runs_dir"])


def test_every_run_with_state_progress_and_stop(page, tiny_suite):
    stops = [b for b in page.button if b.key and b.key.startswith("stop-") and b.key != "stop-all"]
    assert sorted(b.key[5:] for b in stops) == sorted(tiny_suite["run_ids"])
    assert all(b.disabled for b in stops)  # finished runs cannot be stopped
    bars = page.get("progress")
    assert len(bars) == 4 and all(b.value == 100 for b in bars)
    assert any("All runs have finished" in s.value for s in page.success)
    assert len(page.get("plotly_chart")) >= 4  # test acc, clean vs observed, memorized, loss


def test_progress_and_eta():
    from dashboard.pages.live import progress

    now = time.time()
    frac, text = progress({"state": "running", "started": now - 10, "progress": {"epoch": 5, "epochs_total": 20}}, "en")
    assert frac == 0.25
    assert "epoch 5/20" in text and "about 30 s left" in text
    frac, text = progress({"state": "queued"}, "en")
    assert frac == 0.0 and "waiting" in text
    frac, text = progress({"state": "completed", "started": now - 12, "finished": now}, "en")
    assert frac == 1.0 and "12 s" in text
