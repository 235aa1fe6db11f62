"""One Streamlit view per probe (chart + two-line caption) for a run at an epoch, full size or compact.

Used by the Diagnostics page (full views, two runs side by side) and the Live page
(`render_compact_probe_views`). The views, their charts and their widgets come from the registered charts'
declarations (`core/viz/registry.py`: view, compact, truth, missing, shown, note, choices, umap); UMAP runs in a
background thread.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from core.i18n import t
from core.store.run_data import RunData, truth_known
from core.viz import ChartSpec, diagnostics_views  # the package: importing it registers every chart
from dashboard.components import charts, run_cache
from dashboard.components.plain import tp
from dashboard.launcher import suite_run_ids

COMPACT_HEIGHT, COMPACT_FONT = 340, 11


def show(fig, key: str, compact: bool = False) -> None:
    # compact: small, but the legend stays (under the x-axis title, in words)
    charts.show(fig, key, height=COMPACT_HEIGHT if compact else None, font=COMPACT_FONT if compact else None)


def placeholder(title: str, note: str, key: str) -> None:
    """A compact view's slot before its data exists: an empty figure of the same size saying what it waits for."""
    import plotly.graph_objects as go

    from core.viz.style import empty, layout

    show(empty(layout(go.Figure(), title, "", ""), "en", note), key, compact=True)


def caption(key: str, lang: str) -> None:
    caption_text(t(key, lang))


def caption_text(text: str) -> None:
    st.caption(text.replace("\n", "  \n"))


def recorded_epochs(run: RunData) -> list[int]:
    """Epochs at which any probe wrote arrays, ascending."""
    names = [n for n in run.reader.artifact_names() if n != "per_sample"]
    return sorted({e for n in names for e in run.reader.artifact_epochs(n)})


def suite_runs(run: RunData) -> list[RunData]:
    """The runs of `run`'s comparison (itself alone when it belongs to none)."""
    suite = run.config.get("suite")
    runs_dir = os.path.dirname(os.path.normpath(run.reader.dir))
    ids = suite_run_ids(runs_dir, suite) if suite else []
    return [run if i == run.run_id else run_cache.load(runs_dir, i)[0] for i in ids] or [run]


# --- the views: every Diagnostics view registered charts name (core/viz/registry.py) ------------------------


def views_for(run: RunData) -> dict[str, list[ChartSpec]]:
    """The Diagnostics views `run` gets: view id -> its charts (a chart's `shown` may leave it out)."""
    out = {}
    for view, specs in diagnostics_views().items():
        specs = [s for s in specs if s.shown is None or s.shown(run)]
        if specs:
            out[view] = specs
    return out


def title_key(view: str) -> str:
    return f"diag.v.{view}"


def caption_key(view: str) -> str:
    return f"diag.cap.{view}"


def _options(spec: ChartSpec, run: RunData, lang: str, epoch: int | None, key: str) -> dict:
    """The chart's keyword options: the epoch, and in a full view the widgets its declaration asks for."""
    opts: dict = {"epoch": epoch} if spec.scope == "run" else {}
    if spec.choices is not None:
        names = spec.choices(run, epoch)
        if len(names) > 1:
            opts["value"] = st.selectbox(t("axis.value", lang), names, key=f"{key}-value")
    if spec.umap:
        kind = st.radio(t("diag.map", lang), ("PCA", "UMAP"), horizontal=True, key=f"{key}-map")
        if kind == "UMAP":
            opts["umap"] = _umap_panel(run, epoch, lang, key)
    return opts


def render_chart(spec: ChartSpec, run: RunData, lang: str, epoch: int | None, key: str, compact: bool = False) -> None:
    """One chart of a view as its spec declares: left out without truth when it needs it, its note, its options,
    and in place of a chart with nothing recorded, the spec's `missing` line."""
    if spec.truth == "needs" and not truth_known(run):
        if not compact:
            st.info(t("diag.no_truth", lang))
        return
    own = spec.note(run, lang) if spec.note is not None and not compact else None
    if own:
        caption_text(own)
    opts = {} if compact else _options(spec, run, lang, epoch, key)
    if compact and spec.scope == "run":
        opts["epoch"] = epoch
    fig = spec.fn(suite_runs(run) if spec.scope == "suite" else run, lang, **opts)
    if not fig.data:  # every chart draws no trace when its data is missing (see core/viz/style.empty)
        if compact:
            placeholder("", t(spec.missing, lang), key)
        else:
            st.info(t(spec.missing, lang))
        return
    show(fig, key, compact)
    if spec.truth == "uses" and not compact and not truth_known(run):
        st.info(t("diag.no_truth", lang))


def render_view(
    name: str, specs: list[ChartSpec], run: RunData, lang: str, epoch: int | None, key: str, compact: bool = False
) -> None:
    """A view's title and caption, then its charts (only the compact ones when `compact`)."""
    if compact:
        st.markdown(f"**{t(title_key(name), lang)}**")
    else:
        st.subheader(t(title_key(name), lang))
        caption(caption_key(name), lang)
    for spec in specs:
        if spec.compact or not compact:
            render_chart(spec, run, lang, epoch, f"{key}-{name}-{spec.chart_id}", compact)
    if compact:  # the caption's second line says how to read the chart
        st.caption(t(caption_key(name), lang).split("\n")[-1])


def compact_views(run: RunData) -> dict[str, list[ChartSpec]]:
    """The views the Live page draws small: those with a compact chart."""
    return {v: specs for v, specs in views_for(run).items() if any(s.compact for s in specs)}


def note_unreadable(run: RunData, lang: str) -> None:
    """One warning per damaged artifact file the views just passed over, naming it and the epoch shown instead."""
    skipped, run.reader.skipped = run.reader.skipped, {}
    for path, shown in skipped.items():
        if shown is None:
            st.warning(tp("artifact.none_readable", lang, path=path), icon=":material/broken_image:")
        else:
            st.warning(tp("artifact.unreadable", lang, path=path, epoch=shown), icon=":material/broken_image:")


def render_run_views(run: RunData, lang: str, epoch: int | None, key: str) -> None:
    """Every view of `run` at `epoch`, full size, stacked."""
    run.reader.skipped = {}
    for name, specs in views_for(run).items():
        render_view(name, specs, run, lang, epoch, key)
    note_unreadable(run, lang)


def render_compact_probe_views(run_dir: str, lang: str) -> None:
    """Small versions of the views with a compact chart (in the order their charts register: Gram spectrum, layer
    divergence, random-label heads, smoothing) at the latest recorded epoch of the run in `run_dir`, stacked; the Live page calls it inside its
    fragment."""
    runs_dir, run_id = os.path.split(os.path.normpath(run_dir))
    run, _ = run_cache.load(runs_dir, run_id)
    epochs = recorded_epochs(run)
    if not epochs:  # the same four slots, each saying when its first look comes
        every = int(run.config.get("probe_every") or 0)
        st.caption(t("diag.no_epochs", lang))
        for name in compact_views(run):
            st.markdown(f"**{t(title_key(name), lang)}**")
            placeholder(
                "",
                t("diag.first_look", lang, epoch=every) if every else t("chart.no_data", lang),
                f"compact-{run_id}-{name}-wait",
            )
            st.caption(t(caption_key(name), lang).split("\n")[-1])
        return
    st.caption(t("diag.compact", lang, epoch=epochs[-1]))
    run.reader.skipped = {}
    for name, specs in compact_views(run).items():
        render_view(name, specs, run, lang, epochs[-1], f"compact-{run_id}", compact=True)
    note_unreadable(run, lang)


# --- UMAP on request, in a background thread, cached per (run, epoch) -------------------------


@st.cache_resource
def _umap_jobs() -> tuple[ThreadPoolExecutor, dict, threading.Lock]:
    # One worker: UMAP is CPU-heavy, and queued requests must not starve the training processes.
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="umap"), {}, threading.Lock()


def umap_future(run_dir: str, epoch: int) -> Future:
    """The shared background UMAP job for (run, epoch), started on first request and cached afterwards."""
    pool, jobs, lock = _umap_jobs()
    k = (os.path.abspath(run_dir), int(epoch))
    with lock:
        if k not in jobs:
            jobs[k] = pool.submit(_compute_umap, run_dir, int(epoch))
        return jobs[k]


def shutdown_umap_jobs() -> None:
    """Wait for and drop the background UMAP worker (tests; a server simply exits)."""
    pool, _, _ = _umap_jobs()
    pool.shutdown(wait=True)
    _umap_jobs.clear()


def _forget_umap(run_dir: str, epoch: int) -> None:
    _, jobs, lock = _umap_jobs()
    with lock:
        jobs.pop((os.path.abspath(run_dir), int(epoch)), None)


def _compute_umap(run_dir: str, epoch: int) -> dict:
    from core.analysis.umap_map import umap_map

    return umap_map(run_dir, epoch)


def _umap_panel(run: RunData, epoch: int | None, lang: str, key: str) -> dict | None:
    """The UMAP map (see `core.analysis.umap_map`) once computed; shows the button, the spinner or the error."""
    from core.analysis.umap_map import cached_umap

    if epoch is None or epoch not in run.reader.artifact_epochs("embedding"):
        st.info(t("diag.umap_unavailable", lang))
        return None
    hit = cached_umap(run.reader.dir, epoch)
    if hit is not None:
        return hit
    _, jobs, _ = _umap_jobs()
    fut = jobs.get((os.path.abspath(run.reader.dir), int(epoch)))
    if fut is None:
        if not st.button(t("diag.umap_button", lang), key=f"{key}-umapbtn"):
            return None
        fut = umap_future(run.reader.dir, epoch)
    if not fut.done():
        with st.spinner(t("diag.umap_running", lang)):
            note = st.empty()
            while not fut.done():
                # Each element update lets Streamlit interrupt this wait when the user navigates away;
                # the job keeps running in its thread and its result stays cached.
                note.caption(t("diag.umap_running", lang))
                time.sleep(0.25)
            note.empty()
    if fut.exception() is not None:
        st.warning(tp("diag.umap_failed", lang, error=str(fut.exception())))
        if st.button(t("diag.umap_button", lang), key=f"{key}-umapretry"):
            _forget_umap(run.reader.dir, epoch)
            st.rerun()
        return None
    return fut.result()
