"""Live page: every run of the current comparison with state, progress, ETA and Stop; curves that refresh
every 1.5 s through a fragment only while runs are active; a compact look inside one run's model."""
from __future__ import annotations

import os
import time

import streamlit as st

from core.i18n import t
from dashboard import launcher, state
from dashboard.components import run_cache
from dashboard.components.charts import chart
from dashboard.components.probe_views import render_compact_probe_views
from dashboard.components.picker import pick_comparison, pick_run, readable
from dashboard.components.plain import tp

POLL_S = 1.5
CURVE_HEIGHT = 330
ROWS_HEIGHT = 270  # the run list scrolls past this, so the curves stay in view
STATE_ICONS = {"queued": ":material/schedule:", "running": ":material/autorenew:", "completed": ":material/check_circle:",
               "failed": ":material/error:", "stopped": ":material/stop_circle:", "unreadable": ":material/broken_image:"}


def progress(status: dict, lang: str) -> tuple[float, str]:
    """(fraction done, 'epoch 12/40 · about 20 s left') from a run's status.json."""
    st_ = status.get("state", "queued")
    prog = status.get("progress") or {}
    epoch, total = float(prog.get("epoch") or 0), prog.get("epochs_total")
    if st_ == "completed":
        return 1.0, t("live.done_in", lang, s=status.get("finished", 0) - status.get("started", 0))
    if st_ == "queued" or not total:
        return 0.0, t("live.waiting", lang) if st_ == "queued" else t("live.eta_unknown", lang)
    frac = min(1.0, epoch / total)
    if st_ != "running":
        return frac, t(f"live.state.{st_}", lang)
    elapsed = time.time() - status.get("started", time.time())
    eta = t("live.eta", lang, s=elapsed / epoch * (total - epoch)) if epoch > 0 else t("live.eta_unknown", lang)
    return frac, t("live.progress", lang, epoch=epoch, total=total, eta=eta)


def run_rows(runs_dir: str, pairs, lang: str) -> None:
    for run, status in pairs:
        st_ = status.get("state", "queued")
        c1, c2, c3 = st.columns([3, 7, 2], vertical_alignment="center")
        c1.markdown(f"{STATE_ICONS.get(st_, '')} **{run.config.get('method')}** · s{run.config.get('seed')} "
                    f":gray[{t('live.state.' + st_, lang)}]")
        frac, text = progress(status, lang)
        c2.progress(frac, text=text)
        if c3.button(t("live.stop", lang), key=f"stop-{run.run_id}", disabled=st_ in launcher.TERMINAL,
                     icon=":material/stop:", width="stretch"):
            launcher.stop_runs(runs_dir, [run.run_id])
            st.toast(t("live.stopping", lang))
        if st_ == "failed":
            st.error(tp("live.failed_reason", lang, error=status.get("error") or "?"))


def curves(runs, lang: str) -> None:
    present = {k for r in runs for m in r.metrics[-1:] for k in m}
    panels = [("live_metric", {"metric": "test/acc"}, "test/acc"),
              ("train_clean_vs_observed", {}, "train/acc_observed"),
              ("live_metric", {"metric": "train/memorized"}, "train/memorized"),
              ("live_metric", {"metric": "train/loss"}, "train/loss")]
    panels = [p for p in panels if p[2] in present]
    for i in range(0, len(panels), 2):
        cols = st.columns(2)
        for col, (cid, opts, key) in zip(cols, panels[i:i + 2]):
            with col:
                chart(cid, runs, lang, key=f"live-{cid}-{key}", height=CURVE_HEIGHT, **opts)


def body(runs_dir: str, run_ids: list[str], lang: str, was_active: bool) -> None:
    pairs = readable(run_cache.load_many(runs_dir, run_ids), lang)
    n_active = sum(1 for _, s in pairs if s.get("state") not in launcher.TERMINAL)
    if was_active and not n_active:
        st.rerun()  # the whole page reruns once more, without polling
    if n_active:
        st.caption(t("live.active", lang, n=n_active, total=len(pairs), s=POLL_S))
        if st.button(t("live.stop_all", lang), icon=":material/stop_circle:", key="stop-all"):
            launcher.stop_runs(runs_dir, run_ids)
            st.toast(t("live.stopping", lang))
    else:
        st.success(t("live.all_done", lang))
        st.page_link("pages/compare.py", label=t("live.go_compare", lang), icon=":material/leaderboard:")
    st.markdown(f"##### {t('live.runs', lang)} ({len(pairs)})")
    with st.container(height=ROWS_HEIGHT if len(pairs) > 4 else "content", border=True):
        run_rows(runs_dir, pairs, lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        runs = [r for r, _ in pairs if r.metrics]
        if runs:
            curves(runs, lang)
    with right:
        st.markdown(f"##### {t('live.probes', lang)}")
        records = [{"run_id": r.run_id, "config": r.config, "status": s} for r, s in pairs]
        rid = pick_run(t("live.probe_run", lang), records, key="live-probe-run", lang=lang)
        if rid:
            render_compact_probe_views(os.path.join(runs_dir, rid), lang)


lang = state.lang()
runs_dir = state.runs_dir()
st.title(t("live.title", lang))
started = st.session_state.pop("setup.started", None)
if started:
    st.success(t("setup.started", lang, suite=started[0], n=started[1]))
suite_id, run_ids = pick_comparison(lang, key="live-pick")
if run_ids:
    active = any(s.get("state") not in launcher.TERMINAL for _, s in run_cache.load_many(runs_dir, run_ids))
    st.fragment(body, run_every=POLL_S if active else None)(runs_dir, run_ids, lang, active)
elif suite_id:
    st.info(t("live.none", lang))
