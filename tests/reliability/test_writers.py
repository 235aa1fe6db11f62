"""Two writers and two dashboards on one runs folder: every run of both comparisons completes and the
pages of both dashboards render throughout."""

from __future__ import annotations

import threading

from core.bench.faults.kills import two_writers


def test_two_writers_and_two_dashboards(tmp_path, open_page, nothing_lost):
    result = {}
    th = threading.Thread(target=lambda: result.setdefault("out", two_writers(str(tmp_path), 1)))
    th.start()
    rendered = 0
    try:
        while th.is_alive():
            for page in ("pages/live.py", "pages/compare.py"):  # two sessions, as two dashboards would be
                at = open_page(page, str(tmp_path / "runs-0"))
                assert not at.exception
                rendered += 1
    finally:
        th.join()
    nothing_lost(result["out"], tried=4)
    assert rendered >= 2
