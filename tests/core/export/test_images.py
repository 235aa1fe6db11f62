"""Static images through one warm browser: real PNG pixels at 2x, SVG that parses, PDF pages; the no-browser message."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from core.export import BROWSER_ENV, BrowserNotFound, export_files, find_browser
from core.export.style import HEIGHT, PNG_SCALE, WIDTH

CHARTS = "bars,curves"


@pytest.fixture(scope="module")
def images(tiny_suite, browser):
    return {
        fmt: export_files(tiny_suite["runs_dir"], tiny_suite["suite_id"], fmt, "en", CHARTS).files
        for fmt in ("png", "svg", "pdf")
    }


def test_png_is_slide_sized_at_2x_and_not_blank(images):
    assert sorted(k.rsplit("_", 1)[-1] for k in images["png"]) == ["bars.png", "curves.png"]
    for data in images["png"].values():
        im = Image.open(io.BytesIO(data))
        assert im.size == (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE)
        px = np.asarray(im.convert("L"), dtype=float)
        assert (px < 128).mean() > 0.002  # axes, text and data drawn in dark ink
        assert px.std() > 5


def test_svg_parses_and_names_the_setting(images, tiny_suite):
    for data in images["svg"].values():
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        text = "".join(root.itertext())
        assert "digits" in text and "seeds 0, 1" in text  # the subtitle states the setting


def test_pdf_per_chart_has_one_page(images):
    from pypdf import PdfReader

    for data in images["pdf"].values():
        assert data.startswith(b"%PDF")
        assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_no_browser_gives_install_hint_while_html_and_csv_work(tiny_suite, monkeypatch):
    monkeypatch.setenv(BROWSER_ENV, "/nonexistent/chromium")
    with pytest.raises(BrowserNotFound) as e:
        find_browser()
    assert "apt-get install chromium" in str(e.value) and "plotly_get_chrome" in str(e.value)
    for fmt in ("png", "pptx", "pack"):
        with pytest.raises(BrowserNotFound):
            export_files(tiny_suite["runs_dir"], tiny_suite["suite_id"], fmt, "en", "bars")
    for fmt in ("html", "csv"):
        assert export_files(tiny_suite["runs_dir"], tiny_suite["suite_id"], fmt, "en", "bars").files
