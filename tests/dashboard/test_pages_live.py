"""Live page on the fixture comparison, and its progress/ETA arithmetic."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def page(tiny_suite, open_page):
    return open_page("pages/live.py", tiny_suite["runs_dir"])


def test_every_run_with_state_progress_and_stop(page, tiny_suite):
    stops = [b for b in page.button if b.key and b.key.startswith("stop-") and b.key != "stop-all"]
    assert sorted(b.key[5:] for b in stops) == sorted(tiny_suite["run_ids"])
    assert all(b.disabled for b in stops)  # finished runs cannot be stopped
    bars = page.get("progress")
    assert len(bars) == 4 and all(b.value == 100 for b in bars)
    assert any("All runs have finished" in s.value for s in page.success)
    assert len(page.get("plotly_chart")) >= 4  # test acc, clean vs observed, memorized, loss


def test_progress_and_eta():
    from dashboard.pages.live import progress

    now = time.time()
    frac, text = progress({"state": "running", "started": now - 10, "progress": {"epoch": 5, "epochs_total": 20}}, "en")
    assert frac == 0.25
    assert "epoch 5/20" in text and "about 30 s left" in text
    frac, text = progress({"state": "queued"}, "en")
    assert frac == 0.0 and "waiting" in text
    frac, text = progress({"state": "completed", "started": now - 12, "finished": now}, "en")
    assert frac == 1.0 and "12 s" in text


def _shape(node) -> tuple:
    """The page's element tree as (type, children) without values: what moves when panels come and go."""
    kids = getattr(node, "children", None)
    return (type(node).__name__, tuple(_shape(c) for c in kids.values()) if isinstance(kids, dict) else ())


def _training_copy(tiny_suite, dest: str, done: dict[int, int]) -> None:
    """`dest` holds the fixture's runs as if training: run i has its first done[i] records (absent: queued)."""
    import json
    import os
    import shutil

    src = tiny_suite["runs_dir"]
    shutil.copytree(src, dest, dirs_exist_ok=True)
    for i, rid in enumerate(tiny_suite["run_ids"]):
        d = os.path.join(dest, rid)
        with open(os.path.join(src, rid, "metrics.jsonl")) as f:
            lines = f.readlines()[: done.get(i, 0)]
        with open(os.path.join(d, "metrics.jsonl"), "w") as f:
            f.writelines(lines)
        for name in ("summary.json",):
            if os.path.exists(os.path.join(d, name)):
                os.unlink(os.path.join(d, name))
        art = os.path.join(d, "artifacts")
        for sub in os.listdir(art) if os.path.isdir(art) else []:
            for fn in os.listdir(os.path.join(art, sub)):
                if sub == "per_sample" or int(fn[1:6]) > done.get(i, 0):
                    os.unlink(os.path.join(art, sub, fn))
        now = time.time()
        state = "running" if i in done else "queued"
        status = {
            "state": state,
            "pid": os.getpid(),
            "heartbeat": now,
            "updated": now,
            "progress": {"epoch": done.get(i, 0), "epochs_total": 3},
        }
        if state == "running":
            status["started"] = now - 5
        with open(os.path.join(d, "status.json"), "w") as f:
            json.dump(status, f)


def test_element_tree_keeps_its_shape_while_runs_train(tiny_suite, open_page, tmp_path):
    dest = str(tmp_path / "runs")
    _training_copy(tiny_suite, dest, {0: 0})  # one run started, nothing recorded yet
    at = open_page("pages/live.py", dest)
    shapes = [_shape(at.main)]
    for done in ({0: 1}, {0: 2, 1: 1}):  # records (and probe arrays) arrive between two refreshes
        _training_copy(tiny_suite, dest, done)
        at.run()
        assert not at.exception
        shapes.append(_shape(at.main))
    assert shapes[0] == shapes[1] == shapes[2]
    assert len(at.get("plotly_chart")) == 8  # four curve panels and four views, from the first refresh on


def _run_label(dest: str, rid: str) -> str:
    import json
    import os

    with open(os.path.join(dest, rid, "config.json")) as f:
        cfg = json.load(f)
    return f"{cfg['method']} · s{cfg['seed']} · running"


def test_views_follow_the_run_that_is_training(tiny_suite, open_page, tmp_path, choice_of):
    dest = str(tmp_path / "runs")
    ids = tiny_suite["run_ids"]
    _training_copy(tiny_suite, dest, {1: 1})
    at = open_page("pages/live.py", dest)
    box = choice_of(at.selectbox, "live.probe_run")
    assert box.value == "auto" and box.options[0].endswith(_run_label(dest, ids[1]))
    # Run 1 finishes and run 2 starts: the same choice now follows run 2, with no write to the widget's value
    # (a value set by code raced the browser's stale one and stuck the views on the finished run).
    _training_copy(tiny_suite, dest, {2: 1})
    at.run()
    box = choice_of(at.selectbox, "live.probe_run")
    assert box.value == "auto" and box.options[0].endswith(_run_label(dest, ids[2]))


def test_a_picked_run_stays_picked_while_others_start(tiny_suite, open_page, tmp_path, choice_of):
    dest = str(tmp_path / "runs")
    ids = tiny_suite["run_ids"]
    _training_copy(tiny_suite, dest, {1: 1})
    at = open_page("pages/live.py", dest)
    choice_of(at.selectbox, "live.probe_run").set_value(ids[0]).run()
    _training_copy(tiny_suite, dest, {2: 1})
    at.run()
    assert choice_of(at.selectbox, "live.probe_run").value == ids[0]


def test_eta_uses_the_epoch_pace_not_the_start_up():
    from dashboard.pages.live import eta_seconds, rounded

    now = time.time()
    status = {"state": "running", "started": now - 20, "progress": {"epoch": 4, "epochs_total": 10}}
    # 8 s of start-up, then 3 s per epoch: 6 epochs left at 3 s each, the last record 0 s ago
    metrics = [{"epoch": e, "time": 8 + 3 * e} for e in range(1, 5)]
    assert eta_seconds(status, metrics, now=now) == pytest.approx(18.0)
    assert rounded(61) == 60 and rounded(63) == 65 and rounded(2) == 5 and rounded(126) == 130
