"""Samples page on a tiny real comparison, via AppTest: ranked list with thumbnails, the card, transition matrices."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.store.reader import RunReader
from core.store.run_data import RunData, load_run
from core.store.suspects import suspicious
from core.store.writer import write_suite

PAGE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "dashboard", "pages", "samples.py"))


def _page(runs_dir: str, monkeypatch, lang: str = "en") -> AppTest:
    monkeypatch.setenv("LABELSCOPE_RUNS", runs_dir)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def _first_run(tiny_suite, at) -> RunData:
    # the run picker's own key carries a digest of its labels (dashboard.components.choice)
    rid = next(s for s in at.selectbox if (s.key or "").rsplit(".w", 1)[0] == "samples-run").value
    return load_run(tiny_suite["runs_dir"], rid)


def test_ranked_list_card_and_matrices(tiny_suite, monkeypatch):
    at = _page(tiny_suite["runs_dir"], monkeypatch)
    assert not at.exception
    run = _first_run(tiny_suite, at)
    ranked = suspicious(run)
    table = at.dataframe[0].value
    assert len(table) == 20
    np.testing.assert_array_equal(table[t("samples.col.index")].to_numpy(), ranked["index"][:20])
    thumbs = table[t("samples.col.image")]
    assert all(str(u).startswith("data:image/png;base64,") for u in thumbs)  # digits are images
    names = run.reader.read_json("data.json")["class_names"]
    assert list(table[t("samples.col.observed")]) == [names[c] for c in ranked["observed"][:20]]
    assert list(table[t("samples.col.flipped")]) == list(ranked["flipped"][:20])
    subheaders = [s.value for s in at.subheader]
    assert t("samples.card", index=int(ranked["index"][0])) in subheaders
    assert t("samples.transition") in subheaders
    assert len(at.get("plotly_chart")) == 3  # top-k, score history, transition matrices
    assert len(at.get("image")) == 1  # the card's image


def test_picking_a_sample_shows_its_card(tiny_suite, monkeypatch):
    at = _page(tiny_suite["runs_dir"], monkeypatch)
    run = _first_run(tiny_suite, at)
    ranked = suspicious(run)
    pick = next(s for s in at.selectbox if s.key and s.key.startswith("samples-pick"))
    pick.set_value(4).run()
    assert not at.exception
    index = int(ranked["index"][4])
    assert t("samples.card", index=index) in [s.value for s in at.subheader]
    flipped = bool(ranked["flipped"][4])
    names = run.reader.read_json("data.json")["class_names"]
    shown = [e.value for e in (at.error if flipped else at.success)]
    want = t("samples.flipped_yes", true=names[int(ranked["true"][4])]) if flipped else t("samples.flipped_no")
    assert want in shown
    # per-instance values of the method for this sample, from artifacts/per_sample
    a = RunReader(run.reader.dir).load_artifact("per_sample", run.reader.artifact_epochs("noise_detection")[-1])
    loss = float(a["loss"][list(a["idx"]).index(index)])
    values = at.dataframe[1].value.iloc[:, 0]
    assert np.isclose(values["loss"], loss)


def test_top_n_and_japanese(tiny_suite, monkeypatch):
    at = _page(tiny_suite["runs_dir"], monkeypatch, lang="ja")
    at.number_input(key="samples-top-n").set_value(5).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 5
    assert at.title[0].value == t("samples.title", "ja")


def test_real_noise_run_hides_flips_and_the_injected_matrix(tiny_suite, tmp_path, monkeypatch):
    rid = tiny_suite["run_ids"][0]
    shutil.copytree(os.path.join(tiny_suite["runs_dir"], rid), tmp_path / rid)
    data = json.loads((tmp_path / rid / "data.json").read_text())
    data["noise"] = {"kind": "none", "rate": 0.0, "truth_known": False}
    (tmp_path / rid / "data.json").write_text(json.dumps(data))
    write_suite(str(tmp_path), "cmp-real", {"run_ids": [rid], "setting": {"dataset": "digits"}})
    at = _page(str(tmp_path), monkeypatch)
    assert not at.exception
    assert t("samples.col.flipped") not in at.dataframe[0].value.columns
    assert t("samples.no_injected") in [i.value for i in at.info]
    assert t("samples.flipped_unknown") in [c.value for c in at.caption]
