"""The meeting pack's PDF: one landscape page per slide, in the chosen language; CJK-aware line wrapping."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from core.export.pdf import wrap
from core.i18n import t


def only(files: dict, suffix: str) -> bytes:
    hits = [v for k, v in files.items() if k.endswith(suffix)]
    assert len(hits) == 1, sorted(files)
    return hits[0]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pdf_has_a_page_per_slide(packs, lang):
    pdf = PdfReader(io.BytesIO(only(packs[lang].files, ".pdf")))
    slides = Presentation(io.BytesIO(only(packs[lang].files, ".pptx"))).slides
    assert len(pdf.pages) == len(slides)
    for page in pdf.pages:
        assert page.mediabox.width > page.mediabox.height  # landscape, like the slides
    first = pdf.pages[0].extract_text()
    assert t("export.fact.dataset", lang) in first and t("export.deck.title.suite", lang) in first


def test_wrap_counts_cjk_as_two_columns_and_keeps_closing_brackets():
    assert wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    ja = "精度と AUROC は高いほど良い"
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 10 for line in wrap("あいうえおかきくけこ", 10))
    assert wrap("あいうえおかきくけこ", 10) == ["あいうえお", "かきくけこ"]
    assert wrap(ja, 200) == [ja]
    assert wrap("所要時間（秒）", 12) == ["所要時間", "（秒）"]  # "）" may not start a line, "（" not end one


def _pages_text(packs, lang) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(only(packs[lang].files, ".pdf"))).pages]


def _deck_rows(packs, lang) -> list[list[str]]:
    prs = Presentation(io.BytesIO(only(packs[lang].files, ".pptx")))
    table = next(sh.table for sh in list(prs.slides)[1].shapes if sh.has_table)
    return [[c.text for c in row.cells] for row in list(table.rows)[1:]]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pdf_text_layer_holds_the_numbers(packs, lang):
    """Numbers are text in the PDF (searchable, copyable): every cell of the summary table, each on one line,
    the title page's date and the charts' tick labels."""
    pages = _pages_text(packs, lang)
    lines = {" ".join(line.split()) for line in pages[1].splitlines()}
    rows = _deck_rows(packs, lang)
    cells = [cell for row in rows for cell in row if cell != "–"]
    assert any(re.fullmatch(r"\d\.\d{3} ± \d\.\d{3}", c) for c in cells) and "label_smoothing" in cells
    for cell in cells:
        assert any(cell in line for line in lines), (cell, sorted(lines))
    assert re.search(r"\d{4}-\d{2}-\d{2}", pages[0])
    for text in pages[2:-1]:  # chart pages: tick labels like 0.5 or 10
        assert re.search(r"\d\.\d", text) or re.search(r"\b\d{2}\b", text), text


def _numbers_at_bottom_right(page) -> list[str]:
    """Texts drawn in the page's bottom-right corner (last 10% of its width, lowest 10% of its height)."""
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and x > 0.9 * w and y < 0.1 * h:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_pdf_page_is_numbered_like_the_slides(packs, lang):
    pages = PdfReader(io.BytesIO(only(packs[lang].files, ".pdf"))).pages
    for i, page in enumerate(pages, start=1):
        assert str(i) in _numbers_at_bottom_right(page), (i, _numbers_at_bottom_right(page))
        assert "labelscope" in page.extract_text(), i  # the footer line, as on the slides
