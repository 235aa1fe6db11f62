"""Charts: one topic module per subject (curves, label_averaging, smoothing, layers, embedding, noise, ...),
each chart registered with `@chart(id, scope, view)` in `core.viz.registry.CHARTS`; the dashboard and
export draw only these. Importing the package imports every topic module, so adding a chart is adding a file.
"""

from __future__ import annotations

import importlib
import pkgutil

from core.viz.registry import CHARTS, ChartSpec, chart, diagnostics_views  # noqa: F401
from core.viz.style import PLOT_CONFIG  # noqa: F401

_NOT_CHARTS = {"registry", "style"}
for _mod in pkgutil.iter_modules(__path__):
    if not _mod.name.startswith("_") and _mod.name not in _NOT_CHARTS:
        importlib.import_module(f"{__name__}.{_mod.name}")
