"""The meeting pack as one landscape PDF: text pages drawn as plotly pages, every page rendered by the same
browser batch as the charts (so Japanese uses the same CJK font), then joined with pypdf, a chart page with
the footer and page number laid over it."""

from __future__ import annotations

import io

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

from core.export.pack import MeetingPack
from core.export.style import FONT_FAMILY, HEIGHT, WIDTH
from core.export.table_fit import fit_table, wrap
from core.text_size import text_em

NAVY, GREY = "#1f3864", "#595959"
TABLE_X = (0.045, 0.955)  # the table's share of the page width
CELL_SIZE, HEAD_SIZE = 17, 16  # px at most; smaller when the columns need it
CELL_PAD = 2 * 8 + 4  # plotly's table pads a cell by 8 px on each side; 4 px to spare
MIN_CELL_SIZE = 11
FOOTER_ROOM = 36  # px added under a chart page's x-axis title for the footer line


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
    # Columns from their content: no method name cut, no "0.976 ± 0.007" on two lines (smaller type if need be).
    fit = fit_table(
        pack.table_head, pack.table_rows, (TABLE_X[1] - TABLE_X[0]) * WIDTH, CELL_SIZE, CELL_PAD, MIN_CELL_SIZE
    )
    head_size = fit.size * HEAD_SIZE / CELL_SIZE
    head = ["<br>".join(wrap(h, (w - CELL_PAD) / head_size, text_em)) for h, w in zip(pack.table_head, fit.widths)]
    header_h, row_h = 24 + 22 * max(len(h.split("<br>")) for h in head), 40
    fig.add_trace(
        go.Table(
            domain=dict(x=list(TABLE_X), y=[0.16, 0.78]),
            columnwidth=fit.widths,
            header=dict(
                values=[f"<b>{h}</b>" for h in head],
                fill_color=NAVY,
                align="left",
                font=dict(color="white", size=head_size),
                height=header_h,
            ),
            cells=dict(
                values=cols,
                fill_color=[["#eef2f7" if i % 2 else "white" for i in range(n)]],
                align="left",
                font=dict(color=NAVY, size=fit.size),
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


def footer_layer(pack: MeetingPack, number: int) -> go.Figure:
    """The footer line and page number alone on a transparent page, laid over a chart page."""
    fig = _page(pack, number)
    fig.update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    return fig


def chart_page(fig: go.Figure) -> go.Figure:
    """A chart styled for a slide, with room at the bottom for the footer laid over it."""
    out = go.Figure(fig)
    out.update_layout(margin=dict(b=(fig.layout.margin.b or 80) + FOOTER_ROOM))
    return out


def page_layers(pack: MeetingPack, chart_figs: list[go.Figure]) -> list[list[go.Figure]]:
    """The PDF's pages in order, each as the figures drawn one over the other: a text page draws its own footer
    and number; a chart page is the chart, then `footer_layer` (so every page is numbered like the slides)."""
    pages = [[title_page(pack)], [table_page(pack)]]
    pages += [[chart_page(fig), footer_layer(pack, 3 + i)] for i, fig in enumerate(chart_figs)]
    return pages + [[takeaways_page(pack, 3 + len(chart_figs))]]


def merge_pages(layers: list[list[bytes]]) -> bytes:
    """One PDF from one-page PDFs: each inner list is one page, its later layers drawn over its first."""
    writer = PdfWriter()
    for parts in layers:
        page = writer.add_page(PdfReader(io.BytesIO(parts[0])).pages[0])  # pypdf merges into a writer's page only
        for over in parts[1:]:
            page.merge_page(PdfReader(io.BytesIO(over)).pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
