"""Export fixtures: one warm browser for every image of the export tests, and the meeting packs built once."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser():
    from core.export.images import warm_browser

    with warm_browser() as batch:
        yield batch


@pytest.fixture(scope="session")
def packs(tiny_suite, browser):
    """lang -> ExportResult of the meeting pack (pptx + pdf) of the tiny comparison with its default charts."""
    from core.export import export_files
    from core.i18n import LANGS

    return {lang: export_files(tiny_suite["runs_dir"], tiny_suite["suite_id"], "pack", lang) for lang in LANGS}
