"""Set up page: the generated forms and help texts are there, and its button starts real runs via the launcher."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from core.engine.run_config import make_config
from core.registry import DATASETS, METHODS
from core.store.reader import RunReader, list_suites
from dashboard import launcher

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "dashboard", "app.py")


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_RUNS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def test_every_method_dataset_and_help_text(page, choice_of):
    keys = {c.key for c in page.checkbox}
    assert {f"setup.method.{m}" for m in METHODS.names()} <= keys
    captions = " ".join(c.value for c in page.caption)
    for m in METHODS.names():
        assert METHODS.get(m).help in captions
    assert DATASETS.help("digits") in captions
    assert choice_of(page.selectbox, "setup.dataset").options[: len(DATASETS.names())] == DATASETS.names()
    assert page.button(key="demo").label == "Run the demo comparison"


def test_method_options_come_from_the_config_metadata(page):
    # label_smoothing's only field is eps in [0, 1): the generated widget carries the bounds.
    eps = page.number_input(key="setup.opt.label_smoothing.eps")
    assert eps.value == pytest.approx(0.1) and eps.min == 0.0 and eps.max == 1.0
    page.checkbox(key="setup.method.ce").uncheck().run()
    page.checkbox(key="setup.method.label_smoothing").uncheck().run()
    assert page.button(key="run").disabled  # nothing to compare


def test_demo_preset_is_a_valid_quick_comparison():
    from dashboard.pages import setup as S

    assert "ce" in S.demo_methods() and len(S.demo_methods()) >= 2
    for m in S.demo_methods():
        cfg = make_config({k: v for k, v in S.DEMO.items()} | {"method": m})
        assert cfg.dataset == "mnist5k" and cfg.noise_rate == 0.4


def test_run_button_starts_real_runs(page, tmp_path, choice_of):
    choice_of(page.selectbox, "setup.dataset").set_value("blobs").run()
    page.checkbox(key="setup.method.label_smoothing").uncheck().run()
    page.number_input(key="setup.epochs").set_value(2).run()
    page.number_input(key="setup.seeds").set_value(2).run()
    choice_of(page.selectbox, "setup.model").set_value("mlp").run()
    page.number_input(key="setup.adv.lr").set_value(0.01).run()
    page.button(key="run").click().run()
    try:
        assert not page.exception
        assert page.title[0].value == "Live training"  # the button leads to the Live page
        suites = list_suites(str(tmp_path))
        assert len(suites) == 1 and suites[0]["methods"] == ["ce"] and suites[0]["seeds"] == [0, 1]
        assert launcher.wait_all(timeout=150)
        for rid in suites[0]["run_ids"]:
            r = RunReader(os.path.join(str(tmp_path), rid))
            assert r.status()["state"] == "completed"
            assert r.config["dataset"] == "blobs" and r.config["epochs"] == 2 and r.config["lr"] == 0.01
    finally:
        for s in list_suites(str(tmp_path)):
            launcher.stop_runs(str(tmp_path), s["run_ids"])
        launcher.wait_all(timeout=60)


def test_drift_without_hidden_labels_gets_a_clear_message_and_the_option_is_offered():
    from core.errors import UserError
    from dashboard.pages import setup as S

    assert "labeled_fraction" in S.ADVANCED
    with pytest.raises(UserError, match="labeled_fraction below 1"):
        S.make_config({"dataset": "digits", "method": "drift"})


def test_one_noise_control_and_a_plain_sentence_next_to_run(page, choice_of):
    assert "40% of the training labels will be flipped at random" in page.info[-1].value
    choice_of(page.radio, "setup.noise_mode").set_value("real").run()
    assert page.info[-1].value == "No noise injected: your labels are used as they are."
    from dashboard.pages import setup as S

    assert S.noise_sentence({"noise": "none", "noise_rate": 0.0}, "ja").startswith("ノイズは加えません")


def test_choices_survive_a_language_switch_and_a_changing_label(page, choice_of):
    # Streamlit keeps a radio's state as its label: without `choose` the Japanese radio showed no selection
    # and the model box handed 'automatic (cnn_small)' on as a model name.
    choice_of(page.radio, "setup.noise_mode").set_value("real").run()
    page.session_state["lang"] = "ja"  # (AppTest drops the sidebar after a rerun under st.navigation)
    page.run()
    assert not page.exception
    radio = choice_of(page.radio, "setup.noise_mode")
    assert radio.value == "real" and radio.index == 1 and page.info[-1].value.startswith("ノイズは加えません")
    choice_of(page.selectbox, "setup.dataset").set_value("digits").run()
    choice_of(page.selectbox, "setup.dataset").set_value("blobs").run()  # the automatic model's label changes
    assert not page.exception and choice_of(page.selectbox, "setup.model").value == ""
    assert not page.button(key="run").disabled


def test_several_noise_rates_and_a_ray_address_go_to_the_launcher(page, monkeypatch):
    pytest.importorskip("ray")
    calls = []
    monkeypatch.setattr(launcher, "start_comparison", lambda *a, **kw: calls.append((a, kw)) or ("cmp-x", []))
    page.toggle(key="setup.grid").set_value(True).run()
    page.multiselect(key="setup.grid_rates").set_value([0.2, 0.6]).run()
    page.radio(key="setup.backend").set_value("ray").run()
    page.text_input(key="setup.backend.ray.address").set_value("ray://head:10001").run()
    page.number_input(key="setup.backend.ray.gpus_per_run").set_value(0.25).run()
    page.number_input(key="setup.seeds").set_value(1).run()
    assert "4 runs" in " ".join(m.value for m in page.markdown)  # 2 methods x 1 seed x 2 noise rates
    page.button(key="run").click().run()
    assert not page.exception and len(calls) == 1
    kw = calls[0][1]
    assert kw["rates"] == [0.2, 0.6] and kw["noises"] == ["symmetric"] and kw["backend"] == "ray"
    assert kw["backend_options"] == {"address": "ray://head:10001", "cpus_per_run": 1.0, "gpus_per_run": 0.25}


def test_demo_duration_is_the_one_measured_here(tmp_path):
    import json

    from core.engine.suite import plan_suite
    from dashboard.pages import setup as S

    runs = str(tmp_path)
    methods = S.demo_methods()
    assert S.measured_demo(runs, methods) is None  # nothing measured: the box promises no duration
    base = make_config({**S.DEMO, "method": methods[0]})
    suite_id, run_ids = plan_suite(base, methods, list(range(S.DEMO_SEEDS)), runs)
    created = list_suites(runs)[0]["created"]
    for i, rid in enumerate(run_ids):
        with open(os.path.join(runs, rid, "status.json"), "w") as f:
            json.dump({"state": "completed", "started": created + i, "finished": created + 10 + 5 * i}, f)
    took = S.measured_demo(runs, methods)
    assert took == {"seconds": pytest.approx(10 + 5 * (len(run_ids) - 1)), "runs": len(run_ids)}
