"""Diagnostics page: one view per probe for a chosen run and epoch, two runs side by side, live while training."""
from __future__ import annotations

import os

import streamlit as st

from core.i18n import t
from core.store.reader import RunReader, list_runs
from core.viz import figures as F
from dashboard.components import probe_views as V

LIVE_EVERY_S = 2.0
ACTIVE = ("queued", "running")


def _runs_dir() -> str:
    return os.environ.get("LABELSCOPE_RUNS", "runs")


def _lang() -> str:
    return st.session_state.get("lang", "en")


def _pick_run(label: str, runs: list[dict], key: str, allow_none: bool = False, lang: str = "en") -> str | None:
    ids = [r["run_id"] for r in runs]
    by_id = {r["run_id"]: r for r in runs}

    def fmt(i):
        if i is None:
            return t("diag.none", lang)
        c = by_id[i]["config"]
        return f"{c.get('method')} · {c.get('dataset')} · {c.get('noise')} {c.get('noise_rate')} · s{c.get('seed')} · " \
               f"{by_id[i]['status'].get('state')} · {i[-4:]}"

    options = ([None] if allow_none else []) + ids
    return st.selectbox(label, options, format_func=fmt, key=key)


def _panel(runs_dir: str, run_id: str, lang: str, key: str) -> None:
    """The views of one run; reruns by itself (as a fragment) while the run trains."""
    run = F.load_run(runs_dir, run_id)
    active = run.reader.status().get("state") in ACTIVE
    epochs = V.recorded_epochs(run)
    st.markdown(f"#### {run.config.get('method')} · s{run.config.get('seed')}")
    if not epochs:
        st.info(t("diag.no_epochs", lang))
        epoch = None
    elif active and st.toggle(t("diag.follow", lang), value=True, key=f"{key}-follow"):
        epoch = epochs[-1]
        st.caption(t("diag.live", lang, epoch=epoch))
    elif len(epochs) == 1:
        epoch = epochs[0]
        st.caption(f"{t('diag.epoch', lang)}: {epoch}")
    else:
        epoch = st.select_slider(t("diag.epoch", lang), options=epochs, value=epochs[-1], key=f"{key}-epoch")
    V.render_run_views(run, lang, epoch, key)
    if not active and st.session_state.get(f"{key}-was-active"):
        st.session_state[f"{key}-was-active"] = False
        st.rerun()  # the run just ended: one full rerun drops the polling fragment
    st.session_state[f"{key}-was-active"] = active


_live_panel = st.fragment(run_every=LIVE_EVERY_S)(_panel)
_static_panel = st.fragment(_panel)  # slider moves rerun only this panel


def main() -> None:
    lang = _lang()
    runs_dir = _runs_dir()
    st.title(t("diag.title", lang))
    st.caption(t("diag.intro", lang))
    runs = list_runs(runs_dir)
    if not runs:
        st.info(t("diag.no_runs", lang))
        return
    c1, c2 = st.columns(2)
    with c1:
        a = _pick_run(t("diag.run_a", lang), runs, "diag-run-a", lang=lang)
    with c2:
        b = _pick_run(t("diag.run_b", lang), [r for r in runs if r["run_id"] != a], "diag-run-b",
                      allow_none=True, lang=lang)
    chosen = [r for r in (a, b) if r]
    cols = st.columns(len(chosen))
    for i, (col, run_id) in enumerate(zip(cols, chosen)):
        with col:
            state = RunReader(os.path.join(runs_dir, run_id)).status().get("state")
            panel = _live_panel if state in ACTIVE else _static_panel
            panel(runs_dir, run_id, lang, f"diag{i}-{run_id}")


main()
