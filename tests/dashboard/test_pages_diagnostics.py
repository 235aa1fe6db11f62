"""Diagnostics page (and the Live page's compact probe views) on a tiny real comparison, via AppTest."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.store.reader import RunReader
from core.store.writer import write_suite

PAGES = os.path.join(os.path.dirname(__file__), "..", "..", "dashboard", "pages")
VIEW_TITLES = ("diag.v.gram", "diag.v.rlp", "diag.v.smoothing", "diag.v.layer_divergence", "diag.v.embedding")


def _page(runs_dir: str, monkeypatch, name: str = "diagnostics.py", lang: str = "en") -> AppTest:
    monkeypatch.setenv("LABELSCOPE_RUNS", runs_dir)
    at = AppTest.from_file(os.path.abspath(os.path.join(PAGES, name)), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def _derived_suite(tiny_suite, tmp_path, edit) -> str:
    """A runs folder with one copy of the first fixture run, changed by `edit(run_dir)`, in its own comparison."""
    rid = tiny_suite["run_ids"][0]
    shutil.copytree(os.path.join(tiny_suite["runs_dir"], rid), tmp_path / rid)
    edit(tmp_path / rid)
    write_suite(str(tmp_path), "cmp-derived", {"run_ids": [rid], "setting": {"dataset": "digits"}})
    return str(tmp_path)


def test_two_runs_side_by_side_with_every_view(tiny_suite, monkeypatch):
    at = _page(tiny_suite["runs_dir"], monkeypatch)
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    for key in VIEW_TITLES:
        assert subheaders.count(t(key)) == 2  # one per chosen run
    assert len(at.get("plotly_chart")) == 12  # gram (2), rlp, smoothing, layer, embedding per run
    captions = " ".join(c.value for c in at.caption)
    assert t("diag.cap.gram").split("\n")[0] in captions
    epochs = RunReader(os.path.join(tiny_suite["runs_dir"], tiny_suite["run_ids"][0])).artifact_epochs("gram")
    sliders = at.get("select_slider")
    assert sliders and list(sliders[0].options) == [str(e) for e in epochs]


def test_epoch_slider_and_single_run(tiny_suite, monkeypatch):
    at = _page(tiny_suite["runs_dir"], monkeypatch)
    at.toggle(key="diag-two").set_value(False).run()
    assert not at.exception
    assert [s.value for s in at.subheader].count(t("diag.v.gram")) == 1
    at.get("select_slider")[0].set_value(1).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 6


def test_japanese_labels(tiny_suite, monkeypatch):
    at = _page(tiny_suite["runs_dir"], monkeypatch, lang="ja")
    assert not at.exception
    assert at.title[0].value == t("diag.title", "ja")
    assert t("diag.v.embedding", "ja") in [s.value for s in at.subheader]


def test_real_noise_run_says_why_truth_views_are_hidden(tiny_suite, tmp_path, monkeypatch):
    def real(d):
        data = json.loads((d / "data.json").read_text())
        data["noise"] = {"kind": "none", "rate": 0.0, "truth_known": False}
        (d / "data.json").write_text(json.dumps(data))

    at = _page(_derived_suite(tiny_suite, tmp_path, real), monkeypatch)
    assert not at.exception
    infos = [i.value for i in at.info]
    assert t("diag.no_truth") in infos


def test_a_method_declaring_scalars_gets_their_view_and_caption(tiny_suite, tmp_path, monkeypatch):
    def drift(d):
        cfg = json.loads((d / "config.json").read_text())
        cfg["method"] = "drift"
        (d / "config.json").write_text(json.dumps(cfg))
        rows = [json.loads(x) for x in (d / "metrics.jsonl").read_text().splitlines()]
        for i, r in enumerate(rows):
            r["method/flip_rate"] = 0.5 / (i + 1)
        (d / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))

    at = _page(_derived_suite(tiny_suite, tmp_path, drift), monkeypatch)
    assert not at.exception
    assert t("diag.v.method_scalars") in [s.value for s in at.subheader]
    from core.registry import METHODS

    own = METHODS.get("drift").produces.caption["en"].split("\n")[0]
    assert any(own in c.value for c in at.caption)


def test_running_run_follows_the_latest_epoch(tiny_suite, tmp_path, monkeypatch):
    def running(d):
        st_ = json.loads((d / "status.json").read_text())
        st_.update(state="running", pid=os.getpid())  # this process is alive, so the run is not stale
        (d / "status.json").write_text(json.dumps(st_))

    at = _page(_derived_suite(tiny_suite, tmp_path, running), monkeypatch)
    assert not at.exception
    rid = tiny_suite["run_ids"][0]
    assert at.toggle(key=f"diag0-{rid}-follow").value
    last = RunReader(os.path.join(tiny_suite["runs_dir"], rid)).artifact_epochs("gram")[-1]
    assert any(c.value == t("diag.live", epoch=last) for c in at.caption)


def test_umap_runs_in_a_background_thread_and_is_cached(tiny_suite, tmp_path, monkeypatch):
    import threading

    from core.analysis import umap_map

    threads = []

    def fake_embed(X, n_neighbors, min_dist, seed):  # UMAP itself is tested with its module; here: the wiring
        threads.append(threading.current_thread().name)
        return X[:, :2]

    monkeypatch.setattr(umap_map, "_embed", fake_embed)
    runs_dir = _derived_suite(tiny_suite, tmp_path, lambda d: shutil.rmtree(d / "artifacts" / "umap", True))
    at = _page(runs_dir, monkeypatch)
    at.radio[0].set_value("UMAP").run()
    assert not at.exception and not threads  # nothing is computed before the button
    at.button[0].click().run()
    assert not at.exception
    assert threads and threads[0].startswith("umap")  # not the script thread
    assert any("Embedding map (UMAP)" in c.proto.spec for c in at.get("plotly_chart"))
    rid = tiny_suite["run_ids"][0]
    assert os.listdir(os.path.join(runs_dir, rid, "artifacts", "umap"))
    at.run()  # a rerun reads the cache: no second computation
    assert len(threads) == 1 and not at.exception


def test_compact_probe_views_for_the_live_page(tiny_suite, monkeypatch):
    run_dir = os.path.join(tiny_suite["runs_dir"], tiny_suite["run_ids"][0])

    def app(run_dir):
        from dashboard.components.probe_views import render_compact_probe_views

        render_compact_probe_views(run_dir, "en")

    monkeypatch.setenv("LABELSCOPE_RUNS", tiny_suite["runs_dir"])
    at = AppTest.from_function(app, args=(run_dir,), default_timeout=60).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4
    last = RunReader(run_dir).artifact_epochs("gram")[-1]
    assert t("diag.compact", epoch=last) in [c.value for c in at.caption]


@pytest.fixture(autouse=True)
def _stop_umap_pool():
    yield
    from dashboard.components.probe_views import shutdown_umap_jobs

    shutdown_umap_jobs()  # join the background UMAP thread so none outlives a test
