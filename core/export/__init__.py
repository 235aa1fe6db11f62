"""Export for meetings: each chart as PNG/SVG/PDF/CSV/offline HTML, and a meeting pack (PowerPoint + PDF).

Entry points: `export_files(runs_dir, target_id, fmt, lang, chart_ids) -> ExportResult` (file name -> bytes)
and the `labelscope export` command (`core.export.cli.run_export`).
"""

from core.export.formats import FORMATS, ExportResult, export_files  # noqa: F401
from core.export.images import BROWSER_ENV, BrowserNotFound, find_browser  # noqa: F401
