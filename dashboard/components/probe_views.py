"""One Streamlit view per probe (chart + two-line caption) for a run at an epoch, full size or compact.

Used by the Diagnostics page (full views, two runs side by side) and the Live page
(`render_compact_probe_views`). View ids are the ones registered charts name as their `view`; charts come
from `core.viz`; UMAP runs in a background thread.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from core.i18n import t
from core.store.run_data import RunData, artifact, series, truth_known
from core.viz.embedding import embedding
from core.viz.label_averaging import gram_rounds, gram_spectrum
from core.viz.layers import layer_divergence
from core.viz.method_scalars import declared, method_scalars
from core.viz.random_labels import rlp_heads
from core.viz.smoothing import smoothing_hist, smoothing_names
from dashboard.components import charts, run_cache
from dashboard.components.plain import tp
from dashboard.launcher import suite_run_ids

COMPACT_HEIGHT, COMPACT_FONT = 340, 11


@dataclasses.dataclass(frozen=True)
class View:
    """title/caption i18n keys and `render(run, lang, epoch, compact, key)` that draws the view."""

    title_key: str
    caption_key: str
    render: Callable
    needs_truth: bool = False


def show(fig, key: str, compact: bool = False) -> None:
    # compact: small, but the legend stays (under the x-axis title, in words)
    charts.show(fig, key, height=COMPACT_HEIGHT if compact else None, font=COMPACT_FONT if compact else None)


def placeholder(title: str, note: str, key: str) -> None:
    """A compact view's slot before its data exists: an empty figure of the same size saying what it waits for."""
    import plotly.graph_objects as go

    from core.viz.style import layout

    fig = layout(go.Figure(), title, "", "")
    fig.add_annotation(text=note, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    show(fig, key, compact=True)


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


# --- the views ---------------------------------------------------------------------------------


def _gram(run, lang, epoch, compact, key):
    if compact:
        show(gram_spectrum(run, lang, epoch), f"{key}-gram", compact)
        return
    show(gram_spectrum(run, lang, epoch), f"{key}-gram")
    if truth_known(run):
        show(gram_rounds(run, lang, epoch), f"{key}-rounds")
    else:
        st.info(t("diag.no_truth", lang))


def _rlp(run, lang, epoch, compact, key, runs=None):
    runs = runs or suite_runs(run)
    if not any(series(r, "rlp/acc_train")[0].size for r in runs):
        if compact:
            placeholder("", t("diag.no_rlp", lang), f"{key}-rlp")
        else:
            st.info(t("diag.no_rlp", lang))
        return
    show(rlp_heads(runs, lang), f"{key}-rlp", compact)


def _smoothing(run, lang, epoch, compact, key):
    names = smoothing_names(artifact(run, "smoothing", epoch))
    if not names:
        if compact:
            placeholder("", t("diag.missing", lang), f"{key}-sm")
        else:
            st.info(t("diag.missing", lang))
        return
    name = None
    if not compact and len(names) > 1:
        name = st.selectbox(t("axis.value", lang), names, key=f"{key}-smv")
    show(smoothing_hist(run, lang, epoch, value=name), f"{key}-sm", compact)
    if not compact and not truth_known(run):
        st.info(t("diag.no_truth", lang))


def _layer(run, lang, epoch, compact, key):
    show(layer_divergence(run, lang, epoch), f"{key}-ld", compact)


def _embedding(run, lang, epoch, compact, key):
    umap = None
    if not compact:
        kind = st.radio(t("diag.map", lang), ("PCA", "UMAP"), horizontal=True, key=f"{key}-map")
        if kind == "UMAP":
            umap = _umap_panel(run, epoch, lang, key)
    show(embedding(run, lang, epoch, umap=umap), f"{key}-emb", compact)
    if not compact and not truth_known(run):
        st.info(t("diag.no_truth", lang))


def _method_scalars(run, lang, epoch, compact, key):
    own = declared(run).caption.get(lang)  # the method's own reading guide, declared next to its code
    if own and not compact:
        caption_text(own)
    show(method_scalars(run, lang, epoch), f"{key}-method", compact)


VIEWS: dict[str, View] = {
    "gram": View("diag.v.gram", "diag.cap.gram", _gram),
    "rlp": View("diag.v.rlp", "diag.cap.rlp", _rlp),
    "smoothing": View("diag.v.smoothing", "diag.cap.smoothing", _smoothing),
    "layer_divergence": View("diag.v.layer_divergence", "diag.cap.layer_divergence", _layer),
    "embedding": View("diag.v.embedding", "diag.cap.embedding", _embedding),
}
# Shown for a run whose method declares scalars of its own (core/outputs.py), whatever the method.
METHOD_SCALARS = View("diag.v.method_scalars", "diag.cap.method_scalars", _method_scalars)
COMPACT = ("gram", "rlp", "smoothing", "layer_divergence")


def views_for(run: RunData) -> dict[str, View]:
    return {**VIEWS, **({"method_scalars": METHOD_SCALARS} if declared(run).scalars else {})}


def render_view(
    name: str, view: View, run: RunData, lang: str, epoch: int | None, key: str, compact: bool = False
) -> None:
    if compact:
        st.markdown(f"**{t(view.title_key, lang)}**")
    else:
        st.subheader(t(view.title_key, lang))
        caption(view.caption_key, lang)
    view.render(run, lang, epoch, compact, f"{key}-{name}")
    if compact:  # the caption's second line says how to read the chart
        st.caption(t(view.caption_key, lang).split("\n")[-1])


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
    for name, view in views_for(run).items():
        render_view(name, view, run, lang, epoch, key)
    note_unreadable(run, lang)


def render_compact_probe_views(run_dir: str, lang: str) -> None:
    """Small versions of the four named views (Gram spectrum, random-label heads, smoothing, layer divergence)
    at the latest recorded epoch of the run in `run_dir`, stacked; the Live page calls it inside its fragment."""
    runs_dir, run_id = os.path.split(os.path.normpath(run_dir))
    run, _ = run_cache.load(runs_dir, run_id)
    epochs = recorded_epochs(run)
    if not epochs:  # the same four slots, each saying when its first look comes
        every = int(run.config.get("probe_every") or 0)
        st.caption(t("diag.no_epochs", lang))
        for name in COMPACT:
            st.markdown(f"**{t(VIEWS[name].title_key, lang)}**")
            placeholder(
                "",
                t("diag.first_look", lang, epoch=every) if every else t("chart.no_data", lang),
                f"compact-{run_id}-{name}-wait",
            )
            st.caption(t(VIEWS[name].caption_key, lang).split("\n")[-1])
        return
    st.caption(t("diag.compact", lang, epoch=epochs[-1]))
    run.reader.skipped = {}
    for name in COMPACT:
        render_view(name, VIEWS[name], run, lang, epochs[-1], f"compact-{run_id}", compact=True)
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
