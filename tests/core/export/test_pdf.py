"""The meeting pack's PDF: one landscape page per slide, in the chosen language; CJK-aware line wrapping."""

from __future__ import annotations

import io

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
    assert wrap("所要時間（秒）", 12) == ["所要時間（秒）"]  # "）" may not start a line
