"""Diagnostics page: one view per probe for a chosen run and epoch, two runs side by side, live while training."""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from dashboard import state
from dashboard.components import probe_views as V
from dashboard.components import run_cache
from dashboard.components.picker import pick_comparison, pick_run, readable

LIVE_EVERY_S = 2.0
ACTIVE = ("queued", "running")


def _panel(runs_dir: str, run_id: str, lang: str, key: str) -> None:
    """The views of one run; reruns by itself (as a fragment) while the run trains."""
    run, status = run_cache.load(runs_dir, run_id)
    active = status.get("state") in ACTIVE
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
    lang, runs_dir = state.lang(), state.runs_dir()
    st.title(t("diag.title", lang))
    st.caption(t("diag.intro", lang))
    _, run_ids = pick_comparison(lang, key="diag-pick")
    if not run_ids:
        return
    pairs = readable(run_cache.load_many(runs_dir, run_ids), lang)
    if not pairs:
        return
    records = [r.record(s) for r, s in pairs]
    c1, c2 = st.columns(2)
    with c1:
        a = pick_run(t("diag.run_a", lang), records, "diag-run-a", lang)
    with c2:
        ca = next(r.config for r in records if r.run_id == a)
        # Side by side starts on another method (same seed first): two seeds of one method say little.
        others = sorted(
            (r for r in records if r.run_id != a),
            key=lambda r: (r.config.get("method") == ca.get("method"), r.config.get("seed") != ca.get("seed")),
        )
        b = None
        if others and st.toggle(t("diag.side_by_side", lang), value=len(others) > 0, key="diag-two"):
            b = pick_run(t("diag.run_b", lang), others, "diag-run-b", lang)
    chosen = [r for r in (a, b) if r]
    status = {r.run_id: s for r, s in pairs}
    for i, (col, run_id) in enumerate(zip(st.columns(len(chosen), gap="large"), chosen)):
        with col:
            panel = _live_panel if status[run_id].get("state") in ACTIVE else _static_panel
            panel(runs_dir, run_id, lang, f"diag{i}-{run_id}")


main()
