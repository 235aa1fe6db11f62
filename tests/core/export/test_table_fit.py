"""The summary table sized from its content: long method names and "mean ± std" cells stay on one line in the
deck (measured with the real fonts' advance widths) and in the PDF (read back from its text layer)."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pptx.util import Pt

from core.export.table_fit import break_units, fit_table
from core.i18n import t

LONG = ["label_smoothing", "0.976 ± 0.007", "0.931 ± 0.012", "0.512 ± 0.101", "0.744 ± 0.020", "12.3", "1.02×"]


def _head(lang: str) -> list[str]:
    keys = ("col.test_acc_final", "col.test_acc_best", "col.noise_auroc", "col.train_memorized_final")
    return (
        [t("export.col.method", lang), t("export.col.runs", lang)]
        + [t(k, lang) for k in keys]
        + [
            t("col.wall_time_s", lang),
            t("export.col.cost_vs_ce", lang),
        ]
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_long_method_name_and_a_spread_cell_fit_on_one_line(lang):
    head = _head(lang)
    rows = [
        ["label_smoothing", "2/2", "0.976 ± 0.007", "0.981 ± 0.004", "0.912 ± 0.011", "0.333 ± 0.020", "12.3", "1.02×"],
        ["ce", "2/2", "0.951 ± 0.010", "0.960 ± 0.006", "0.905 ± 0.012", "0.412 ± 0.031", "10.1", "1.00×"],
    ]
    avail, pad = 873.0, 16.4  # the deck's table: 12.13 in of a 13.33 in slide, in points
    fit = fit_table(head, rows, avail, 14, pad, 9)
    assert 9 <= fit.size <= 14 and sum(fit.widths) == pytest.approx(avail)
    for row in rows:
        for j, cell in enumerate(row):
            assert fit.fits(cell, j, pad), (cell, fit.widths[j], fit.size)
    for j, h in enumerate(head):  # a header may wrap, but never inside a word
        assert all(fit.fits(u, j, pad) for u in break_units(h)), h


def test_a_narrow_table_keeps_its_size_and_a_crowded_one_shrinks():
    head, rows = ["Method", "Runs"], [["label_smoothing", "2/2"]]
    assert fit_table(head, rows, 600, 14, 16, 9).size == 14
    crowded = fit_table(head * 8, [rows[0] * 8], 600, 14, 16, 9)
    assert crowded.size < 14 and sum(crowded.widths) == pytest.approx(600)


def test_break_units_keep_words_and_brackets():
    assert break_units("noise-detection AUROC (out of sample)") == ["noise-detection", "AUROC", "(out", "of", "sample)"]
    assert break_units("所要時間（秒）") == ["所", "要", "時", "間", "（秒）"]  # an opening bracket never ends a line
    assert break_units("ce 比のコスト") == ["ce", "比", "の", "コ", "ス", "ト"]


def _deck_table(packs, lang):
    prs = Presentation(io.BytesIO(next(v for k, v in packs[lang].files.items() if k.endswith(".pptx"))))
    return next(sh.table for sh in list(prs.slides)[1].shapes if sh.has_table)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_deck_table_cells_fit_their_columns_in_the_real_font(packs, lang, font_em):
    """Every body cell of the deck's table, at its font size in the font the deck names, is narrower than its
    column less the cell margins: nothing is cut ("label_smoothin") or wrapped ("0.976 ± / 0.007")."""
    table = _deck_table(packs, lang)
    family = {"en": "Liberation Sans", "ja": "Noto Sans CJK JP"}[lang]  # Arial's metrics; the deck's CJK font
    cells = [(j, cell) for row in list(table.rows)[1:] for j, cell in enumerate(row.cells)]
    texts = {cell.text for _, cell in cells}
    assert "label_smoothing" in texts and any(re.fullmatch(r"\d\.\d{3} ± \d\.\d{3}", x) for x in texts)
    for j, cell in cells:
        run = cell.text_frame.paragraphs[0].runs[0]
        width_pt = table.columns[j].width / Pt(1)
        margins_pt = (cell.margin_left + cell.margin_right) / Pt(1)
        text_pt = font_em(cell.text, family, bool(run.font.bold)) * run.font.size.pt
        assert text_pt <= width_pt - margins_pt, (cell.text, text_pt, width_pt - margins_pt)


def test_wrap_breaks_where_the_column_sizing_assumes():
    """A Japanese header with a space still breaks between its CJK characters (the sizing counts on it), Latin
    words stay whole, and every line fits the limit unless a single piece is wider."""
    from core.export.table_fit import break_units, wrap
    from core.text_size import text_width

    head = "ノイズ検出 AUROC（標本外）"
    lines = wrap(head, 10)
    assert "".join(lines).replace(" ", "") == head.replace(" ", "")
    assert all(text_width(line) <= 10 for line in lines), lines
    assert max(text_width(u) for u in break_units(head)) <= 10
    assert wrap("label smoothing wins", 9) == ["label", "smoothing", "wins"]
