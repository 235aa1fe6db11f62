"""Live page: every run of the current comparison with state, progress, ETA and Stop; curves that refresh
every second through a fragment only while runs are active; a compact look inside the run that is training.

The page keeps one layout while runs train: the four curve panels and the four views are always drawn
(an empty panel says what it waits for), so nothing appears, vanishes or jumps between refreshes.
"""

from __future__ import annotations

import os
import time

import numpy as np
import streamlit as st

from core.i18n import t
from dashboard import launcher, state
from dashboard.components import run_cache
from dashboard.components.charts import chart
from dashboard.components.choice import choose
from dashboard.components.picker import pick_comparison, readable
from dashboard.components.plain import tp
from dashboard.components.probe_views import render_compact_probe_views

POLL_S = 1.0
CURVE_HEIGHT = 330
ROWS_HEIGHT = 270  # the run list scrolls past this, so the curves stay in view
STATE_ICONS = {
    "queued": ":material/schedule:",
    "running": ":material/autorenew:",
    "completed": ":material/check_circle:",
    "failed": ":material/error:",
    "stopped": ":material/stop_circle:",
    "unreadable": ":material/broken_image:",
}
# The four curve panels, always in this order (chart id, options).
PANELS = (
    ("live_metric", {"metric": "test/acc"}),
    ("train_clean_vs_observed", {}),
    ("live_metric", {"metric": "train/memorized"}),
    ("live_metric", {"metric": "train/loss"}),
)
FOLLOW = "live.probe_run"  # the choice of run whose model the views show: AUTO or a run id
# The picker's first option follows the run that is training. It is a fixed option, so the page never changes the
# widget's value itself: a value set by code races the browser, which sends its stale value with the next timed
# refresh, and Streamlit took that for the user's pick (the views stuck on a finished run).
AUTO = "auto"


def eta_seconds(status: dict, metrics: list[dict], now: float | None = None) -> float | None:
    """Seconds left for a running run: remaining epochs x the median epoch duration of its recent records,
    less the time since its last record. Medians of record gaps do not jump with one slow epoch or with the
    start-up time, which the run's average (elapsed / epochs) includes."""
    prog = status.get("progress") or {}
    total, epoch = prog.get("epochs_total"), float(prog.get("epoch") or 0)
    if not total:
        return None
    times = [m["time"] for m in metrics if isinstance(m.get("time"), (int, float)) and "epoch" in m]
    epochs = [m["epoch"] for m in metrics if isinstance(m.get("time"), (int, float)) and "epoch" in m]
    if len(times) >= 2:
        gaps = np.diff(times[-12:]) / np.maximum(np.diff(epochs[-12:]), 1)
        per_epoch = float(np.median(gaps))
        since = (now or time.time()) - status.get("started", now or time.time()) - times[-1]
        return max(0.0, (total - epochs[-1]) * per_epoch - max(0.0, since))
    if epoch > 0:  # one record so far: the plain rate, start-up included
        elapsed = (now or time.time()) - status.get("started", now or time.time())
        return elapsed / epoch * (total - epoch)
    return None


def rounded(s: float) -> float:
    """Seconds as people say them: to 5 s under two minutes, to 10 s above, so the text does not flicker."""
    step = 5 if s < 120 else 10
    return max(step, round(s / step) * step)


def progress(status: dict, lang: str, metrics: list[dict] | None = None) -> tuple[float, str]:
    """(fraction done, 'epoch 12/40 · about 20 s left') from a run's status.json and its records."""
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
    left = eta_seconds(status, metrics or [])
    eta = t("live.eta", lang, s=rounded(left)) if left is not None else t("live.eta_unknown", lang)
    return frac, t("live.progress", lang, epoch=epoch, total=total, eta=eta)


def run_rows(runs_dir: str, pairs, lang: str) -> None:
    for run, status in pairs:
        st_ = status.get("state", "queued")
        c1, c2, c3 = st.columns([3, 7, 2], vertical_alignment="center")
        c1.markdown(
            f"{STATE_ICONS.get(st_, '')} **{run.config.get('method')}** · s{run.config.get('seed')} "
            f":gray[{t('live.state.' + st_, lang)}]"
        )
        frac, text = progress(status, lang, run.metrics)
        if st_ == "failed":  # the reason in the same slot, so a failure adds no element
            text = tp("live.failed_reason", lang, error=str(status.get("error") or "?")[:160])
        c2.progress(frac, text=text)
        if c3.button(
            t("live.stop", lang),
            key=f"stop-{run.run_id}",
            disabled=st_ in launcher.TERMINAL,
            icon=":material/stop:",
            width="stretch",
        ):
            launcher.stop_runs(runs_dir, [run.run_id])
            st.toast(t("live.stopping", lang))


def curves(runs, lang: str) -> None:
    # One legend entry per method: reserved from the start, so the panels keep their height as methods start.
    methods = len({r.config.get("method") for r in runs})
    for i in range(0, len(PANELS), 2):
        for col, (cid, opts) in zip(st.columns(2), PANELS[i : i + 2]):
            with col:
                key = f"live-{i}-{cid}-{opts.get('metric', '')}"
                chart(cid, runs, lang, key=key, height=CURVE_HEIGHT, legend_rows=methods, **opts)


def followed_run(pairs) -> str:
    """The run that is training: the most recently started running run, else the last one that finished
    (queued runs have nothing to show yet)."""
    running = [(s.get("started", 0), r.run_id) for r, s in pairs if s.get("state") == "running"]
    if running:
        return max(running)[1]
    done = [(s.get("finished", 0), r.run_id) for r, s in pairs if s.get("state") in launcher.TERMINAL]
    return max(done)[1] if done else pairs[0][0].run_id


def inside(runs_dir: str, pairs, lang: str) -> None:
    st.markdown(f"##### {t('live.probes', lang)}")
    by_id = {r.run_id: (r, s) for r, s in pairs}
    training = followed_run(pairs)

    def label(rid: str) -> str:
        r, s = by_id[rid]
        return (
            f"{r.config.get('method')} · s{r.config.get('seed')} · {t('live.state.' + s.get('state', 'queued'), lang)}"
        )

    picked = choose(
        st.selectbox,
        t("live.probe_run", lang),
        [AUTO, *by_id],
        key=FOLLOW,
        format_func=lambda o: t("live.follow_training", lang, run=label(training)) if o == AUTO else label(o),
        default=AUTO,
        help=t("live.probe_run.help", lang),
    )
    render_compact_probe_views(os.path.join(runs_dir, training if picked == AUTO else picked), lang)


def header(runs_dir: str, run_ids: list[str], n_active: int, n_runs: int, lang: str) -> None:
    """Two elements in both states (status line, action), so the page does not shift when runs finish."""
    if n_active:
        st.caption(t("live.active", lang, n=n_active, total=n_runs, s=POLL_S))
        if st.button(t("live.stop_all", lang), icon=":material/stop_circle:", key="stop-all"):
            launcher.stop_runs(runs_dir, run_ids)
            st.toast(t("live.stopping", lang))
    else:
        st.success(t("live.all_done", lang))
        st.page_link("pages/compare.py", label=t("live.go_compare", lang), icon=":material/leaderboard:")


def body(runs_dir: str, run_ids: list[str], lang: str, was_active: bool) -> None:
    pairs = readable(run_cache.load_many(runs_dir, run_ids), lang)
    n_active = sum(1 for _, s in pairs if s.get("state") not in launcher.TERMINAL)
    if was_active and not n_active:
        # Rerun the whole page without polling; the fragment's elements are replaced, not left below it.
        st.rerun(scope="app")
    header(runs_dir, run_ids, n_active, len(pairs), lang)
    st.markdown(f"##### {t('live.runs', lang)} ({len(pairs)})")
    with st.container(height=ROWS_HEIGHT if len(pairs) > 4 else "content", border=True):
        run_rows(runs_dir, pairs, lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        curves([r for r, _ in pairs], lang)
    with right:
        inside(runs_dir, pairs, lang)


lang = state.lang()
runs_dir = state.runs_dir()
st.title(t("live.title", lang))
started = st.session_state.pop("setup.started", None)
if started:
    st.toast(t("setup.started", lang, suite=started[0], n=started[1]), icon=":material/rocket_launch:")
suite_id, run_ids = pick_comparison(lang, key="live-pick")
if run_ids:
    active = any(s.get("state") not in launcher.TERMINAL for _, s in run_cache.load_many(runs_dir, run_ids))
    st.fragment(body, run_every=POLL_S if active else None)(runs_dir, run_ids, lang, active)
elif suite_id:
    st.info(t("live.none", lang))
