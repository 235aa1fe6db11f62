"""The export formats, a registry: each takes the built charts of a target and returns file name -> bytes."""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable

from core.errors import UserError
from core.export.charts import BuiltChart, applicable, build_charts, parse_ids
from core.export.data import figure_csv, figure_html
from core.export.images import render_images
from core.export.pack import build_pack, deck_chart_ids
from core.export.style import PNG_SCALE, SLIDE_CHART_SCALE, SLIDE_CHART_SIZE, presentable
from core.export.target import ExportTarget, load_target, setting_line
from core.i18n import LANGS
from core.store.paths import safe_name
from core.viz import PLOT_CONFIG


@dataclasses.dataclass
class ExportJob:
    target: ExportTarget
    charts: list[BuiltChart]
    lang: str

    @property
    def prefix(self) -> str:
        # never a path: the id may come from an edited file; the language keeps an English and a Japanese
        # pack of one comparison apart in a downloads folder
        return f"{safe_name(self.target.target_id)}_{self.lang}_"

    def styled(self, chart: BuiltChart):
        sub = "<br>".join(x for x in (setting_line(self.target, self.lang), chart.note) if x)
        return presentable(chart.fig, chart.title, sub)

    def for_slide(self, chart: BuiltChart):
        """Without its title (the slide carries it), shaped like the slide's chart area."""
        return presentable(chart.fig, None, None, size=SLIDE_CHART_SIZE)


@dataclasses.dataclass
class ExportResult:
    files: dict[str, bytes]  # file name -> content, in a stable order
    skipped: list[str]  # chart ids left out, with the reason
    seconds: float


# name -> {"fn": job -> files, "deck": chooses the deck's charts by default, "browser": needs Chrome/Chromium}
FORMATS: dict[str, dict] = {}


def export_format(name: str, deck: bool = False, browser: bool = False):
    def deco(fn: Callable[[ExportJob], dict[str, bytes]]):
        FORMATS[name] = {"fn": fn, "deck": deck, "browser": browser}
        return fn

    return deco


def _images(fmt: str, job: ExportJob) -> dict[str, bytes]:
    blobs = render_images([(job.styled(c), fmt) for c in job.charts], scale=PNG_SCALE)
    return {f"{job.prefix}{c.chart_id}.{fmt}": b for c, b in zip(job.charts, blobs)}


for _fmt in ("png", "svg", "pdf"):
    export_format(_fmt, browser=True)(functools.partial(_images, _fmt))


@export_format("csv")
def _csv(job: ExportJob) -> dict[str, bytes]:
    return {f"{job.prefix}{c.chart_id}.csv": figure_csv(c.fig) for c in job.charts}


@export_format("html")
def _html(job: ExportJob) -> dict[str, bytes]:
    out = {}
    for c in job.charts:
        fig = job.styled(c)
        fig.layout.width = fig.layout.height = None  # fill the browser window instead of a slide's 16:9
        out[f"{job.prefix}{c.chart_id}.html"] = figure_html(fig, PLOT_CONFIG)
    return out


def _meeting(job: ExportJob, with_pdf: bool) -> dict[str, bytes]:
    from core.export.deck import build_deck
    from core.export.pdf import merge_pages, page_layers

    pack = build_pack(job.target, job.charts, job.lang)
    jobs = [(job.for_slide(c), "png") for c in job.charts]
    layers = page_layers(pack, [job.styled(c) for c in job.charts]) if with_pdf else []
    jobs += [(f, "pdf") for page in layers for f in page]
    blobs = render_images(jobs, scale=SLIDE_CHART_SCALE)  # one browser for every image of the pack
    n = len(job.charts)
    out = {f"{job.prefix}meeting.pptx": build_deck(pack, blobs[:n])}
    if with_pdf:
        pdfs = iter(blobs[n:])
        out[f"{job.prefix}meeting.pdf"] = merge_pages([[next(pdfs) for _ in page] for page in layers])
    return out


export_format("pptx", deck=True, browser=True)(functools.partial(_meeting, with_pdf=False))
export_format("pack", deck=True, browser=True)(functools.partial(_meeting, with_pdf=True))


def export_files(
    runs_dir: str, target_id: str, fmt: str, lang: str = "en", chart_ids: list[str] | str | None = None
) -> ExportResult:
    """Export a run or a comparison in one format; nothing is written (the caller saves or offers the bytes)."""
    t0 = time.perf_counter()
    if fmt not in FORMATS:
        raise UserError(f"unknown export format '{fmt}'; valid choices: {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise UserError(f"unknown language '{lang}'; valid choices: {', '.join(LANGS)}")
    spec = FORMATS[fmt]
    if spec["browser"]:
        from core.export.images import find_browser

        find_browser()  # fail first, with the install hint, before any chart is built
    target = load_target(runs_dir, target_id)
    ids = parse_ids(chart_ids)
    if not ids and spec["deck"]:
        ids = deck_chart_ids(applicable(target), target.runs)
    charts, skipped = build_charts(target, ids, lang)
    skipped = list(target.notes) + skipped
    if not charts and not spec["deck"]:
        raise UserError(f"nothing to export: no chart of '{target_id}' has data ({'; '.join(skipped)})")
    files = spec["fn"](ExportJob(target, charts, lang))
    return ExportResult(files, skipped, time.perf_counter() - t0)
