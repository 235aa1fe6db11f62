"""The meeting pack as a 16:9 PowerPoint deck (python-pptx): title, summary table, one slide per chart, takeaways."""

from __future__ import annotations

import io

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from core.export.charts import BuiltChart
from core.export.pack import MeetingPack
from core.export.style import EA_FONT, PPTX_FONT
from core.export.table_fit import fit_table, header_lines

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # PowerPoint's own 16:9 size (13.333 x 7.5 in)
MARGIN = Inches(0.6)
NAVY, GREY, LIGHT, WHITE = (
    RGBColor(0x1F, 0x38, 0x64),
    RGBColor(0x59, 0x59, 0x59),
    RGBColor(0xEE, 0xF2, 0xF7),
    RGBColor(0xFF, 0xFF, 0xFF),
)
_BLANK = 6  # "Blank" layout of python-pptx's default template
CELL_SIZE, MIN_CELL_SIZE = 14, 9  # pt: the table's type, smaller when its columns need it
CELL_MARGIN = Pt(7.2)  # PowerPoint's default left and right cell margin (0.1 in), set so the fit can count on it
CELL_PAD = 2 * 7.2 + 2  # pt beside a cell's text: both margins, 2 pt to spare
LINE = 1.25  # a line of table text is this many font sizes high; a cell adds 0.05 in above and below
LANG_TAG = {"en": "en-US", "ja": "ja-JP"}  # the runs' language: a viewer breaks Japanese lines by its rules


def _style(run, size: float, lang: str, bold: bool = False, color: RGBColor = NAVY) -> None:
    f = run.font
    f.size, f.bold, f.name = Pt(size), bold, PPTX_FONT[lang]
    f.color.rgb = color
    # PowerPoint draws Japanese with the east-Asian typeface (a:ea), not a:latin.
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", LANG_TAG[lang])
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EA_FONT})
    latin = rpr.find(qn("a:latin"))
    latin.addnext(ea) if latin is not None else rpr.append(ea)


def _text(
    slide,
    left,
    top,
    width,
    height,
    lines: list[str],
    size: int,
    lang: str,
    bold=False,
    color=NAVY,
    bullets: bool = False,
    space_after: int = 6,
):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(space_after)
        if bullets:
            _bullet(p, size)
        run = p.add_run()
        run.text = line
        _style(run, size, lang, bold, color)
    return box


def _bullet(paragraph, size: int) -> None:
    """A real bullet with a hanging indent, so wrapped lines align with the text, not the dot."""
    ppr = paragraph._p.get_or_add_pPr()
    indent = int(Pt(size * 1.1))
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-indent))
    ppr.append(ppr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
    ppr.append(ppr.makeelement(qn("a:buChar"), {"char": "•"}))


def _header(slide, title: str, lang: str, sub: str | None = None, note: str = "") -> None:
    _text(slide, MARGIN, Inches(0.35), SLIDE_W - 2 * MARGIN, Inches(0.7), [title], 28, lang, bold=True)
    lines = [x for x in (sub, note) if x]
    if lines:
        _text(
            slide,
            MARGIN,
            Inches(0.95),
            SLIDE_W - 2 * MARGIN,
            Inches(0.4),
            lines,
            14 if len(lines) == 1 else 12,
            lang,
            color=GREY,
            space_after=0,
        )
    bar = slide.shapes.add_shape(1, MARGIN, Inches(1.42), SLIDE_W - 2 * MARGIN, Emu(int(Inches(0.03))))
    bar.fill.solid()
    bar.fill.fore_color.rgb = NAVY
    bar.line.fill.background()


def _footer(slide, pack: MeetingPack, number: int) -> None:
    _text(slide, MARGIN, SLIDE_H - Inches(0.45), Inches(9), Inches(0.3), [pack.footer], 10, pack.lang, color=GREY)
    _text(
        slide,
        SLIDE_W - MARGIN - Inches(1),
        SLIDE_H - Inches(0.45),
        Inches(1),
        Inches(0.3),
        [str(number)],
        10,
        pack.lang,
        color=GREY,
    ).text_frame.paragraphs[0].alignment = 3  # right


def _title_slide(prs, pack: MeetingPack) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    band = s.shapes.add_shape(1, 0, 0, Inches(0.35), SLIDE_H)
    band.fill.solid()
    band.fill.fore_color.rgb = NAVY
    band.line.fill.background()
    _text(s, Inches(1.0), Inches(1.2), Inches(11.3), Inches(1.0), [pack.title], 40, pack.lang, bold=True)
    _text(s, Inches(1.0), Inches(2.2), Inches(11.3), Inches(0.6), [pack.subtitle], 22, pack.lang, color=GREY)
    top = Inches(3.3)
    for label, value in pack.facts:
        _text(s, Inches(1.0), top, Inches(2.6), Inches(0.45), [label], 16, pack.lang, bold=True)
        _text(s, Inches(3.7), top, Inches(9.0), Inches(0.45), [value], 16, pack.lang, color=GREY)
        top += Inches(0.48)


def _table_slide(prs, pack: MeetingPack, number: int) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    _header(s, pack.table_title, pack.lang, pack.setting)
    n_rows, n_cols = len(pack.table_rows) + 1, len(pack.table_head)
    width = SLIDE_W - 2 * MARGIN
    row_h = Inches(0.5)
    shape = s.shapes.add_table(n_rows, n_cols, MARGIN, Inches(1.7), width, row_h * n_rows)
    table = shape.table
    # Columns from their content: no method name cut, no "0.976 ± 0.007" on two lines (smaller type if need be).
    fit = fit_table(pack.table_head, pack.table_rows, width / 12700, CELL_SIZE, CELL_PAD, MIN_CELL_SIZE)
    for j, w in enumerate(fit.widths):
        table.columns[j].width = int(Pt(w))
    # Headers wrap: the header row as high as its tallest header, and the note under the whole table.
    head_h = Pt(header_lines(pack.table_head, fit, CELL_PAD) * LINE * fit.size + 7.2)
    table.rows[0].height = max(int(head_h), int(row_h))
    for i, cells in enumerate([pack.table_head] + pack.table_rows):
        for j, value in enumerate(cells):
            cell = table.cell(i, j)
            cell.text = ""
            cell.margin_left = cell.margin_right = CELL_MARGIN
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = value
            _style(run, fit.size, pack.lang, bold=(i == 0 or j == 0), color=WHITE if i == 0 else NAVY)
            cell.fill.solid()
            cell.fill.fore_color.rgb = NAVY if i == 0 else (LIGHT if i % 2 == 0 else WHITE)
    note_top = Inches(1.85) + table.rows[0].height + row_h * (n_rows - 1)
    _text(s, MARGIN, note_top, width, Inches(0.8), [pack.table_note], 12, pack.lang, color=GREY)
    _footer(s, pack, number)


def _chart_slide(prs, pack: MeetingPack, chart: BuiltChart, png: bytes, number: int) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    _header(s, chart.title, pack.lang, pack.setting, chart.note)
    box_top, box_bottom = Inches(1.5), SLIDE_H - Inches(0.5)
    box_w = SLIDE_W - 2 * MARGIN
    h = box_bottom - box_top
    px_w, px_h = Image.open(io.BytesIO(png)).size
    w = int(h * px_w / px_h)
    if w > box_w:
        w, h = box_w, int(box_w * px_h / px_w)
    s.shapes.add_picture(io.BytesIO(png), int((SLIDE_W - w) / 2), box_top, w, h)
    _footer(s, pack, number)


def _takeaways_slide(prs, pack: MeetingPack, number: int) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    _header(s, pack.takeaways_title, pack.lang, pack.setting)
    _text(
        s,
        MARGIN,
        Inches(1.8),
        SLIDE_W - 2 * MARGIN,
        Inches(5),
        pack.takeaways,
        22,
        pack.lang,
        bullets=True,
        space_after=14,
    )
    _footer(s, pack, number)


def build_deck(pack: MeetingPack, chart_pngs: list[bytes]) -> bytes:
    """The .pptx bytes; `chart_pngs[i]` is pack.charts[i] drawn without its title (the slide has it)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = pack.title
    prs.core_properties.subject = pack.subtitle
    _title_slide(prs, pack)
    _table_slide(prs, pack, 2)
    for i, (chart, png) in enumerate(zip(pack.charts, chart_pngs)):
        _chart_slide(prs, pack, chart, png, 3 + i)
    _takeaways_slide(prs, pack, 3 + len(pack.charts))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
