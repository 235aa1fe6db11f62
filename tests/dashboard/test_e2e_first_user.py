"""The first-user traps in a real browser (Debian Chromium): a CSV with a clean-label column run in real-labels
mode stores `noise: none`; an image-ZIP upload shows no traceback and keeps the Run button."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from core.store.reader import list_runs

EXCEPTION = '[data-testid="stException"]'


def _csv(n: int = 120) -> bytes:
    """Three separable classes; `label` has 30% of its entries flipped, `truth` is the clean column."""
    rng = np.random.default_rng(0)
    truth = np.arange(n) % 3
    X = rng.normal(size=(n, 4)) + truth[:, None]
    label = np.where(rng.random(n) < 0.3, (truth + 1) % 3, truth)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)]).assign(label=label, truth=truth)
    return df.to_csv(index=False).encode()


def _image_zip(side: int = 28, per_class: int = 6) -> bytes:
    buf = io.BytesIO()
    rng = np.random.default_rng(1)
    with zipfile.ZipFile(buf, "w") as zf:
        for c in ("cat", "dog"):
            for i in range(per_class):
                b = io.BytesIO()
                Image.fromarray(rng.integers(0, 255, (side, side), dtype=np.uint8)).save(b, "PNG")
                zf.writestr(f"{c}/{i}.png", b.getvalue())
    return buf.getvalue()


def _upload(page, name: str, data: bytes) -> None:
    from playwright.sync_api import expect

    _pick(page, "Dataset", "my own file")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    expect(page.get_by_text("File accepted", exact=False)).to_be_visible()


def _pick(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    time.sleep(0.5)


def _number(page, label: str, value: str) -> None:
    from playwright.sync_api import expect

    box = page.get_by_role("spinbutton", name=label)
    # While a rerun is drawing, Streamlit can show the stale input beside the new one: wait until one is left.
    expect(box).to_have_count(1, timeout=30_000)
    box.fill(value)
    expect(box).to_have_count(1, timeout=30_000)
    box.press("Enter")
    time.sleep(0.5)


@pytest.mark.slow
def test_real_labels_csv_runs_without_noise(dashboard_url, browser_page, tmp_path):
    from playwright.sync_api import expect

    url, runs_dir = dashboard_url
    page = browser_page
    page.goto(url + "/")
    _upload(page, "team_labels.csv", _csv())
    _pick(page, "Clean-label column (optional)", "truth")
    expect(page.get_by_text("Clean labels given", exact=False)).to_be_visible()
    # The upload set the one noise control; the sentence next to Run says what will happen.
    expect(page.get_by_text("No noise injected: your labels are used as they are.")).to_be_visible()
    page.get_by_text("label_smoothing", exact=True).first.click()  # untick: one method is enough here
    _number(page, "Epochs", "1")
    _number(page, "Seeds per method", "1")
    expect(page.get_by_text("1 runs: ce × 1 seeds, 1 epochs each.")).to_be_visible()
    assert page.locator(EXCEPTION).count() == 0
    page.get_by_role("button", name="Run the comparison").click()
    expect(page.get_by_role("heading", name="Live training")).to_be_visible()
    runs = list_runs(runs_dir)
    assert len(runs) == 1
    with open(os.path.join(runs[0].dir, "config.json")) as f:
        cfg = json.load(f)
    assert cfg["noise"] == "none" and cfg["noise_rate"] == 0.0
    assert os.path.basename(cfg["dataset"]) == "team_labels.csv"  # named by the file, not its hash
    assert page.locator(EXCEPTION).count() == 0


@pytest.mark.slow
def test_image_zip_upload_keeps_the_run_button(dashboard_url, browser_page):
    from playwright.sync_api import expect

    url, _ = dashboard_url
    page = browser_page
    page.goto(url + "/")
    _upload(page, "pets.zip", _image_zip())
    expect(page.get_by_text("1×28×28", exact=False).first).to_be_visible()  # image size defaults to the images'
    time.sleep(1.0)  # let every rerun the upload caused finish
    assert page.locator(EXCEPTION).count() == 0
    run = page.get_by_role("button", name="Run the comparison")
    expect(run).to_be_visible()
    expect(run).to_be_enabled()
    for lang in ("日本語", "English"):  # a language switch relabels every choice: still no traceback
        page.get_by_text(lang, exact=True).click()
        time.sleep(1.5)
        assert page.locator(EXCEPTION).count() == 0
    expect(run).to_be_visible()
