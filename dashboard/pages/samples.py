"""Samples page: the most suspicious samples of a run (noise-detection probe), a per-sample card, transition matrices."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pandas as pd
import streamlit as st

from core.i18n import t
from core.store.run_data import RunData, artifact, class_names, truth_known
from core.store.suspects import suspicious
from core.viz.noise import sample_history, sample_topk, transition_matrices
from dashboard import state
from dashboard.components import probe_views as V
from dashboard.components import run_cache
from dashboard.components.picker import pick_comparison, pick_run, readable
from dashboard.components.plain import tp

THUMB_PX = 48
CARD_PX = 160


TEXT_CHARS = 120  # of a text's first line in the table; the card shows all of it


@st.cache_resource(max_entries=4, show_spinner=False)
def _inputs(dataset: str, options_key: tuple, seed: int, runs_dir: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(images (N, C, H, W) or None, texts (N,) or None) of the run's data (reloaded from the dataset spec;
    a text embedding comes from the runs folder's feature cache)."""
    from core.data.base import load_dataset

    ds = load_dataset(dataset, {k: json.loads(v) for k, v in options_key}, seed, cache_dir=runs_dir)
    return (ds.X if ds.kind == "image" and ds.X.ndim == 4 else None), ds.texts


def _first_line(text: str) -> str:
    line = (str(text).strip().splitlines() or [""])[0]
    return line if len(line) <= TEXT_CHARS else line[: TEXT_CHARS - 1] + "…"


def _to_png(img: np.ndarray, px: int) -> bytes:
    """(C, H, W) float image -> PNG bytes, min-max scaled, upsampled to `px` wide with sharp pixels."""
    from PIL import Image

    a = np.asarray(img, np.float32)
    a = a[0] if a.shape[0] == 1 else np.moveaxis(a[:3], 0, -1)
    lo, hi = float(a.min()), float(a.max())
    a = ((a - lo) / (hi - lo if hi > lo else 1.0) * 255).astype(np.uint8)
    im = Image.fromarray(a)
    im = im.resize((px, max(1, round(px * im.height / im.width))), Image.NEAREST)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _name(names: list[str], c) -> str:
    c = int(c)
    return names[c] if 0 <= c < len(names) else str(c)


def _per_sample_values(run: RunData, epoch: int, index: int) -> dict[str, float]:
    """The method's per-sample values (e.g. loss, LABO temperature) of dataset `index` at `epoch`."""
    a = artifact(run, "per_sample", epoch)
    if "idx" not in a:
        return {}
    hit = np.flatnonzero(np.asarray(a["idx"]) == index)
    if not len(hit):
        return {}
    out = {k: float(v[hit[0]]) for k, v in a.items() if k != "idx" and np.asarray(v).ndim == 1}
    return {k: v for k, v in out.items() if np.isfinite(v)}


def _card(run: RunData, ranked: dict, pos: int, epoch: int, images, names: list[str], lang: str, texts=None) -> None:
    index = int(ranked["index"][pos])
    st.subheader(t("samples.card", lang, index=index))
    c_img, c_probs, c_hist = st.columns([1, 2, 2])
    with c_img:
        if images is not None and 0 <= index < len(images):
            st.image(_to_png(images[index], CARD_PX))
        if texts is not None and 0 <= index < len(texts):
            st.caption(t("samples.text", lang))
            st.text(str(texts[index]))  # plain text: a user's text is never rendered as Markdown or HTML
        st.markdown(
            tp(
                "samples.observed_predicted",
                lang,
                obs=_name(names, ranked["observed"][pos]),
                pred=_name(names, ranked["predicted"][pos]),
                score=f"{ranked['score'][pos]:.2f}",
            )
        )
        if not truth_known(run):
            st.caption(t("samples.flipped_unknown", lang))
        elif bool(ranked["flipped"][pos]):
            st.error(tp("samples.flipped_yes", lang, true=_name(names, ranked["true"][pos])))
        else:
            st.success(t("samples.flipped_no", lang))
        values = _per_sample_values(run, epoch, index)
        st.markdown(f"**{t('samples.per_sample', lang, epoch=epoch)}**")
        if values:
            st.dataframe(pd.DataFrame({t("axis.value", lang): values}), width="stretch")
        else:
            st.caption(t("samples.no_per_sample", lang))
    with c_probs:
        V.show(sample_topk(run, lang, epoch, index=index), f"samples-topk-{index}")
    with c_hist:
        V.show(sample_history(run, lang, epoch, index=index), f"samples-hist-{index}")


def main() -> None:
    lang, runs_dir = state.lang(), state.runs_dir()
    st.title(t("samples.title", lang))
    st.caption(t("samples.intro", lang))
    c0, c1, c2, c3 = st.columns([3, 2, 2, 1])
    with c0:
        _, run_ids = pick_comparison(lang, key="samples-comparison")
    if not run_ids:
        return
    pairs = readable(run_cache.load_many(runs_dir, run_ids), lang)
    if not pairs:
        return
    with c1:
        run_id = pick_run(
            t("samples.run", lang),
            [r.record(s) for r, s in pairs],
            "samples-run",
            lang,
        )
    run = next(r for r, _ in pairs if r.run_id == run_id)
    run.reader.skipped = {}
    try:
        _body(run, run_id, lang, c2, c3)
    finally:
        V.note_unreadable(run, lang)


def _body(run: RunData, run_id: str, lang: str, c2, c3) -> None:
    epochs = run.reader.artifact_epochs("noise_detection")
    if not epochs:
        st.info(t("samples.no_detection", lang))
        return
    with c2:
        epoch = (
            epochs[0]
            if len(epochs) == 1
            else st.select_slider(
                t("diag.epoch", lang), options=epochs, value=epochs[-1], key=f"samples-epoch-{run_id}"
            )
        )
    with c3:
        top_n = st.number_input(
            t("samples.top_n", lang), min_value=5, max_value=500, value=20, step=5, key="samples-top-n"
        )
    ranked = suspicious(run, epoch)
    if not ranked:
        st.info(t("samples.no_detection", lang))
        return
    n = min(int(top_n), len(ranked["index"]))
    names = class_names(run)
    c = run.config
    opts_key = tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in (c.get("dataset_options") or {}).items()))
    images, texts = _inputs(c.get("dataset", ""), opts_key, int(c.get("seed", 0)), state.runs_dir())
    col = {
        k: t(f"samples.col.{k}", lang)
        for k in ("rank", "index", "image", "text", "observed", "predicted", "score", "flipped")
    }
    table = {col["rank"]: np.arange(1, n + 1), col["index"]: ranked["index"][:n]}
    if images is not None:
        table[col["image"]] = [_data_url(_to_png(images[int(i)], THUMB_PX)) for i in ranked["index"][:n]]
    if texts is not None:
        table[col["text"]] = [_first_line(texts[int(i)]) for i in ranked["index"][:n]]
    table[col["observed"]] = [_name(names, v) for v in ranked["observed"][:n]]
    table[col["predicted"]] = [_name(names, v) for v in ranked["predicted"][:n]]
    table[col["score"]] = ranked["score"][:n].astype(float)
    if truth_known(run):
        table[col["flipped"]] = ranked["flipped"][:n].astype(bool)
    st.caption(t("samples.list_caption", lang, epoch=epoch))
    source = str(artifact(run, "noise_detection", epoch).get("source", "features"))  # older runs: features
    st.caption(t("samples.source", lang, source=t(f"detect.source.{source}", lang)))
    event = st.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        width="stretch",
        key=f"samples-table-{run_id}",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            col["image"]: st.column_config.ImageColumn(col["image"], width="small"),
            col["score"]: st.column_config.NumberColumn(col["score"], format="%.2f"),
        },
        row_height=THUMB_PX + 4 if images is not None else None,
    )
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    options = list(range(n))
    pos = st.selectbox(
        t("samples.pick", lang),
        options,
        index=picked[0] if picked else 0,
        format_func=lambda p: (
            f"#{p + 1} · {int(ranked['index'][p])} · "
            f"{_name(names, ranked['observed'][p])} → {_name(names, ranked['predicted'][p])}"
        ),
        key=f"samples-pick-{run_id}-{picked[0] if picked else 0}",
    )
    _card(run, ranked, pos, epoch, images, names, lang, texts)
    real = not truth_known(run)  # real labels: only the estimate exists, and the words say so
    st.subheader(t("samples.transition_real" if real else "samples.transition", lang))
    st.caption(t("samples.transition_caption_real" if real else "samples.transition_caption", lang))
    if real:
        st.info(t("samples.no_injected", lang))
    V.show(transition_matrices(run, lang, epoch), "samples-transition")


main()
