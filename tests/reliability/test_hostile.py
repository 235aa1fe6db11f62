"""Crafted ids and hostile class names: nothing escapes the runs or export folder, nothing renders as
markup on the pages, no exported CSV cell starts a formula."""

from __future__ import annotations

import os

from core.bench.faults.files import HOSTILE, crafted_ids, hostile_names


def test_crafted_ids_stay_inside(tmp_path, open_page, nothing_lost):
    from dashboard import launcher

    nothing_lost(crafted_ids(str(tmp_path), 1))
    runs_dir, outside = str(tmp_path / "runs"), str(tmp_path / "outside")
    ids = launcher.suite_run_ids(runs_dir, "cmp-crafted")
    assert len(ids) == 1 and "/" not in ids[0]
    launcher.stop_runs(runs_dir, ["../outside/RUN", os.path.join(outside, "RUN"), "link-out"])
    assert not os.path.exists(os.path.join(outside, "RUN", "STOP"))
    at = open_page("pages/live.py", runs_dir)
    assert any("outside the runs folder" in w.value for w in at.warning)


def test_hostile_class_names_are_plain_text(tmp_path, open_page, nothing_lost):
    nothing_lost(hostile_names(str(tmp_path), 1), tried=2)
    at = open_page("pages/samples.py", str(tmp_path / "runs"))
    shown = [m.value for m in (*at.markdown, *at.caption, *at.error, *at.success, *at.warning, *at.info)]
    body = "\n".join(shown)
    from dashboard.components.plain import plain

    assert any(plain(name) in body for name in HOSTILE), "the card's class names were not drawn"
    assert "**bold**" not in body and "](javascript:" not in body and "<img" not in body
    assert all(name not in body for name in HOSTILE)  # only escaped forms appear
