"""Every registered chart names a view the dashboard has: a page, or a diagnostics view with bilingual title and
caption; the views, their order and the Live page's compact ones come from the charts' declarations."""

from __future__ import annotations

import os

import plotly.graph_objects as go

from core.i18n import TEXT
from core.store.run_data import RunData
from core.viz import CHARTS, diagnostics_views
from core.viz.registry import PAGES, ChartSpec
from dashboard.components import probe_views as V

PAGES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "dashboard", "pages")


def test_every_chart_view_exists():
    pages = {f[:-3] for f in os.listdir(PAGES_DIR) if f.endswith(".py")}
    assert set(PAGES) <= pages
    views = diagnostics_views()
    for cid, spec in CHARTS.items():
        assert spec.view in pages or spec.view in views, f"chart '{cid}' names unknown view '{spec.view}'"
    for view in views:
        for key in (V.title_key(view), V.caption_key(view)):
            assert TEXT.get(key, {}).get("en") and TEXT[key].get("ja"), key
    for spec in CHARTS.values():
        assert TEXT.get(spec.missing, {}).get("en") and TEXT[spec.missing].get("ja"), spec.missing


def test_views_come_from_the_chart_declarations(monkeypatch):
    views = diagnostics_views()
    assert {"gram", "rlp", "smoothing", "layer_divergence", "embedding", "method_scalars"} <= set(views)
    compact = [v for v, specs in views.items() if any(s.compact for s in specs)]
    assert set(compact) == {"gram", "rlp", "smoothing", "layer_divergence"}
    assert list(views)[: len(compact)] == compact  # the Live page's views lead

    # A new chart naming a new view is a new Diagnostics view, with no edit to the dashboard.
    fig = lambda run, lang="en", epoch=None: go.Figure()  # noqa: E731
    monkeypatch.setitem(CHARTS, "my_chart", ChartSpec("my_chart", fig, "run", "my_view", compact=True))
    run = RunData("r", {"method": "ce"}, None, [], None)
    assert "my_view" in V.views_for(run) and "my_view" in V.compact_views(run)
    hidden = ChartSpec("my_chart", fig, "run", "my_view", shown=lambda run: False)
    monkeypatch.setitem(CHARTS, "my_chart", hidden)
    assert "my_view" not in V.views_for(run)
