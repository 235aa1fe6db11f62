"""Charts: `figures` builds the chart registry; topic modules (e.g. `robustness`) add their charts to it."""
from core.viz import figures, robustness  # noqa: F401  (importing a chart module registers its charts)
