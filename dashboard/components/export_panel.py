"""Export panel of the Compare page: the meeting pack in one click, or each chart as PNG/SVG/PDF/HTML/CSV."""

from __future__ import annotations

import io
import re
import zipfile

import streamlit as st

from core.errors import UserError
from core.export import export_files
from core.export.charts import applicable
from core.export.pack import deck_chart_ids
from core.export.target import load_target
from core.i18n import t
from core.store.paths import safe_name
from core.viz import CHARTS
from dashboard.components.plain import plain, tp

CHART_FORMATS = ("png", "svg", "pdf", "html", "csv")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "zip": "application/zip",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _chart_name(cid: str, lang: str) -> str:
    title = re.split(r"<br\s*/?>", t(CHARTS[cid].title_key, lang))[0]  # the first line, without its markup
    title = re.sub(r"<[^>]+>", "", re.sub(r"\s*\{[^}]*\}\s*", " ", title)).strip(" :·()（）")
    return f"{title} ({cid})"


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _make(runs_dir: str, target_id: str, fmt: str, lang: str, charts: list[str], state_key: str) -> None:
    try:
        with st.spinner(t("export.fmt." + fmt, lang) + " …"):
            res = export_files(runs_dir, target_id, fmt, lang, charts)
    except UserError as e:  # e.g. no Chrome/Chromium: the message says how to install one
        st.session_state[state_key] = {"error": str(e)}
        return
    files = res.files
    if fmt in CHART_FORMATS and len(files) > 1:
        files = {f"{safe_name(target_id)}_{lang}_{fmt}.zip": _zip(files)}
    st.session_state[state_key] = {"files": files, "seconds": res.seconds, "skipped": res.skipped}


def _show(result: dict | None, lang: str, key: str) -> None:
    if not result:
        return
    if "error" in result:
        st.error(plain(result["error"]))
        return
    st.caption(t("export.panel.ready", lang, secs=result["seconds"]))
    if result["skipped"]:
        st.caption(tp("export.panel.skipped", lang, ids="; ".join(result["skipped"])))
    for i, (name, data) in enumerate(result["files"].items()):
        st.download_button(
            tp("export.panel.download", lang, name=name),
            data=data,
            file_name=name,
            mime=MIME.get(name.rsplit(".", 1)[-1], "application/octet-stream"),
            key=f"{key}-dl-{i}",
        )


def render_export_panel(runs_dir: str, target_id: str, lang: str) -> None:
    """Chart choice, the one-click meeting pack (PowerPoint + PDF) and per-chart files, offered as downloads."""
    try:
        target = load_target(runs_dir, target_id)
    except UserError as e:
        st.error(plain(e))
        return
    ids = applicable(target)
    key = f"export-{target_id}"
    charts = st.multiselect(
        t("export.panel.charts", lang),
        ids,
        default=deck_chart_ids(ids, target.runs),
        format_func=lambda c: _chart_name(c, lang),
        key=f"{key}-charts-{lang}",
    )
    st.caption(t("export.panel.toolbar_hint", lang))
    pack_col, file_col = st.columns(2, gap="large")
    with pack_col:
        if st.button(t("export.panel.pack", lang), type="primary", key=f"{key}-pack", disabled=not charts):
            _make(runs_dir, target_id, "pack", lang, charts, f"{key}-pack-result")
        _show(st.session_state.get(f"{key}-pack-result"), lang, f"{key}-pack")
    with file_col:
        fmt = st.selectbox(
            t("export.panel.format", lang),
            CHART_FORMATS,
            key=f"{key}-fmt-{lang}",
            format_func=lambda f: t("export.fmt." + f, lang),
        )
        if st.button(t("export.panel.make", lang), key=f"{key}-files", disabled=not charts):
            _make(runs_dir, target_id, fmt, lang, charts, f"{key}-files-result")
        _show(st.session_state.get(f"{key}-files-result"), lang, f"{key}-files")
    if not charts:
        st.caption(t("export.panel.no_charts", lang))
