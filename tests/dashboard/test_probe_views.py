"""Every registered chart names a view the dashboard has: a page, or a diagnostics view with bilingual title and
caption."""

from __future__ import annotations

import os

from core.i18n import TEXT
from core.viz import CHARTS
from dashboard.components import probe_views as V

PAGES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "dashboard", "pages")


def test_every_chart_view_exists():
    pages = {f[:-3] for f in os.listdir(PAGES_DIR) if f.endswith(".py")}
    views = {**V.VIEWS, "method_scalars": V.METHOD_SCALARS}
    for cid, spec in CHARTS.items():
        assert spec.view in pages or spec.view in views, f"chart '{cid}' names unknown view '{spec.view}'"
    for view in views.values():
        for key in (view.title_key, view.caption_key):
            assert TEXT.get(key, {}).get("en") and TEXT[key].get("ja"), key
