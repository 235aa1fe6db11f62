"""Which registered charts apply to an export target, built once per export (figures from core.viz only)."""

from __future__ import annotations

import dataclasses
import html
import re

import plotly.graph_objects as go

from core.errors import UserError
from core.export.target import ExportTarget
from core.i18n import t
from core.viz import CHARTS

# A run exports its own charts and the comparison charts drawn for it alone; a comparison its comparison charts.
SCOPES = {"suite": ("suite",), "run": ("run", "suite")}
_DATA_ATTRS = ("x", "y", "z", "values", "r")


@dataclasses.dataclass
class BuiltChart:
    chart_id: str
    title: str  # plain text, first line of the figure's title
    fig: go.Figure
    note: str = ""  # plain text of the title's further lines (e.g. "solid: true labels · dotted: observed")


def split_title(text: str) -> tuple[str, str]:
    """A plotly title with markup ("Title<br><sup>how to read it</sup>") -> (title, note) as plain text."""
    parts = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.split(r"<br\s*/?>", text or "", flags=re.I)]
    parts = [p for p in parts if p]
    return (parts[0] if parts else ""), " ".join(parts[1:])


def applicable(target: ExportTarget) -> list[str]:
    return [cid for cid, spec in CHARTS.items() if spec.scope in SCOPES[target.kind]]


def has_data(fig: go.Figure) -> bool:
    for tr in fig.data:
        js = tr.to_plotly_json()
        cells = (js.get("cells") or {}).get("values")
        if any(js.get(a) is not None and len(js[a]) > 0 for a in _DATA_ATTRS) or (cells is not None and len(cells)):
            return True
    return False


def parse_ids(text: str | list | None) -> list[str]:
    if not text:
        return []
    items = text.split(",") if isinstance(text, str) else list(text)
    return [s.strip() for s in items if s and s.strip()]


def build_charts(target: ExportTarget, chart_ids: list[str], lang: str) -> tuple[list[BuiltChart], list[str]]:
    """Figures for the chosen charts (all that apply when none are chosen) and the ids left out, with why.

    A chart that fails on these runs or draws nothing (e.g. its probe was not recorded) is left out
    rather than failing the whole export.
    """
    valid = applicable(target)
    wanted = chart_ids or valid
    bad = [c for c in wanted if c not in valid]
    if bad:
        raise UserError(
            f"chart(s) {', '.join(bad)} do not apply to this {t('export.kind.' + target.kind, 'en')}; "
            f"valid choices: {', '.join(valid) or '(none)'}"
        )
    built, skipped = [], []
    for r in target.runs:
        r.reader.skipped = {}
    for cid in wanted:
        spec = CHARTS[cid]
        arg = target.runs if spec.scope == "suite" else target.runs[0]
        try:
            fig = spec.fn(arg, lang=lang)
        except Exception as e:  # a chart needing data this run lacks must not sink the other charts
            skipped.append(f"{cid} ({type(e).__name__}: {e})")
            continue
        if not isinstance(fig, go.Figure) or not has_data(fig):
            skipped.append(f"{cid} ({t('export.no_data', 'en')})")
            continue
        # The figure's own title has its placeholders filled (e.g. the metric); the key is the fallback.
        title, note = split_title(fig.layout.title.text or t(spec.title_key, lang))
        built.append(BuiltChart(cid, title, fig, note))
    for r in target.runs:  # damaged probe files the charts passed over, by name
        for path, shown in r.reader.skipped.items():
            skipped.append(f"{path} (unreadable; " + ("nothing readable)" if shown is None else f"epoch {shown} used)"))
    return built, skipped
