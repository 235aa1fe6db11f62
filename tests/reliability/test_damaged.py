"""Each kind of damaged file in one run: `list runs`, export and every page still show the others, and the
damaged run is named (unreadable, with its path) instead of taking a page down."""

from __future__ import annotations

import os

from core.bench.faults.files import DAMAGE, corrupt_files

PAGES = ("pages/live.py", "pages/compare.py", "pages/diagnostics.py", "pages/samples.py")


def _choice(widgets, key: str):
    """The selectbox drawn by `choose(..., key=key)`: its widget key is `key` plus a digest of its labels."""
    return next(w for w in widgets if (w.key or "").rsplit(".w", 1)[0] == key)


def test_damaged_files_hide_nothing_else(tmp_path, open_page, nothing_lost):
    out = corrupt_files(str(tmp_path), 1)
    nothing_lost(out, tried=len(DAMAGE))
    runs_dir = str(tmp_path / "runs")
    for page in PAGES:
        at = open_page(page, runs_dir)  # asserts no exception
        warnings = " ".join(w.value for w in at.warning)
        assert "cannot be shown" in warnings and os.path.join(runs_dir, "damaged-1") in warnings.replace("\\", ""), page
    # The zero-byte npz run (next to a good one in the side-by-side panel): drawn, the damaged file named.
    zero = f"damaged-{list(DAMAGE).index('zero-byte npz')}"
    at = open_page("pages/diagnostics.py", runs_dir)
    _choice(at.selectbox, "diag-run-a").set_value(zero).run()
    assert not at.exception
    texts = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "data is unreadable" in texts and os.path.join(runs_dir, zero, "artifacts") in texts
    corrupt = f"damaged-{list(DAMAGE).index('corrupt npz')}"
    at = open_page("pages/samples.py", runs_dir)
    _choice(at.selectbox, "samples-run").set_value(corrupt).run()
    assert not at.exception and "data is unreadable" in " ".join(w.value for w in at.warning)
