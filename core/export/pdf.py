"""The meeting pack as one landscape PDF: text pages drawn as plotly pages, every page rendered by the same
browser batch as the charts (so Japanese uses the same CJK font), then joined with pypdf."""

from __future__ import annotations

import io

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

from core.export.pack import MeetingPack, column_widths, text_width
from core.export.style import FONT_FAMILY, HEIGHT, WIDTH

NAVY, GREY = "#1f3864", "#595959"
_NO_BREAK_BEFORE = set("）)」』、。，．・ー")  # Japanese line-breaking: these never start a line


def wrap(text: str, limit: int) -> list[str]:
    """Lines of at most `limit` columns (a CJK character counts 2); breaks at spaces when there are any."""
    lines, line, cols = [], "", 0
    for word in text.replace("\n", " ").split(" ") if " " in text else list(text):
        sep = " " if line and " " in text else ""
        w = text_width(word)
        if line and cols + len(sep) + w > limit and word not in _NO_BREAK_BEFORE:
            lines.append(line)
            line, cols = word, w
        else:
            line, cols = line + sep + word, cols + len(sep) + w
    if line:
        lines.append(line)
    return lines or [""]


def _page(pack: MeetingPack, number: int, title: str | None = None, sub: str | None = None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        width=WIDTH,
        height=HEIGHT,
        template="plotly_white",
        margin=dict(l=0, r=0, t=0, b=0),
        font=dict(family=FONT_FAMILY, color=NAVY),
        xaxis=dict(visible=False),
        yaxis=dict(visible=False),
    )
    if title:
        _note(fig, 0.045, 0.94, title, 34, bold=True)
        if sub:
            _note(fig, 0.045, 0.865, sub, 17, color=GREY)
        fig.add_shape(
            type="line",
            xref="paper",
            yref="paper",
            x0=0.045,
            x1=0.955,
            y0=0.82,
            y1=0.82,
            line=dict(color=NAVY, width=3),
        )
    _note(fig, 0.045, 0.035, pack.footer, 12, color=GREY)
    _note(fig, 0.955, 0.035, str(number), 12, color=GREY, anchor="right")
    return fig


def _note(fig, x, y, text, size, bold=False, color=NAVY, anchor="left"):
    fig.add_annotation(
        x=x,
        y=y,
        xref="paper",
        yref="paper",
        xanchor=anchor,
        yanchor="middle",
        showarrow=False,
        align=anchor,
        text=f"<b>{text}</b>" if bold else text,
        font=dict(size=size, color=color),
    )


def title_page(pack: MeetingPack) -> go.Figure:
    fig = _page(pack, 1)
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=0, x1=0.026, y0=0, y1=1, fillcolor=NAVY, line_width=0)
    _note(fig, 0.075, 0.78, pack.title, 46, bold=True)
    _note(fig, 0.075, 0.67, pack.subtitle, 26, color=GREY)
    y = 0.53
    for label, value in pack.facts:
        _note(fig, 0.075, y, label, 19, bold=True)
        _note(fig, 0.28, y, value, 19, color=GREY)
        y -= 0.065
    return fig


def table_page(pack: MeetingPack) -> go.Figure:
    fig = _page(pack, 2, pack.table_title, pack.setting)
    cols = list(zip(*pack.table_rows)) if pack.table_rows else [[] for _ in pack.table_head]
    n = len(pack.table_rows)
    widths = column_widths(pack.table_head, pack.table_rows)
    head = ["<br>".join(wrap(h, w + 2)) for h, w in zip(pack.table_head, widths)]
    header_h, row_h = 24 + 22 * max(len(h.split("<br>")) for h in head), 40
    fig.add_trace(
        go.Table(
            domain=dict(x=[0.045, 0.955], y=[0.16, 0.78]),
            columnwidth=widths,
            header=dict(
                values=[f"<b>{h}</b>" for h in head],
                fill_color=NAVY,
                align="left",
                font=dict(color="white", size=16),
                height=header_h,
            ),
            cells=dict(
                values=cols,
                fill_color=[["#eef2f7" if i % 2 else "white" for i in range(n)]],
                align="left",
                font=dict(color=NAVY, size=17),
                height=row_h,
                line_color="#d0d7e2",
            ),
        )
    )
    for i, line in enumerate(wrap(pack.table_note, 150)):  # a footnote at a fixed place under any table size
        _note(fig, 0.045, 0.11 - 0.04 * i, line, 14, color=GREY)
    return fig


def takeaways_page(pack: MeetingPack, number: int) -> go.Figure:
    fig = _page(pack, number, pack.takeaways_title, pack.setting)
    y = 0.72
    for item in pack.takeaways:
        for j, line in enumerate(wrap(item, 105)):
            _note(fig, 0.045, y, ("•  " if j == 0 else "    ") + line, 22)
            y -= 0.06
        y -= 0.03
    return fig


def merge_pdfs(parts: list[bytes]) -> bytes:
    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def text_pages(pack: MeetingPack) -> tuple[list[go.Figure], go.Figure]:
    """(pages before the charts, the last page); charts come as their own PDF pages in between."""
    return [title_page(pack), table_page(pack)], takeaways_page(pack, 3 + len(pack.charts))
