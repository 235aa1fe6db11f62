"""Dashboard entry: routes to the pages with `st.navigation` and holds the language switch; nothing else."""

from __future__ import annotations

import os

import streamlit as st

from core.i18n import t
from dashboard import state
from dashboard.components.plain import tp

PAGES = (  # (file under pages/, title key, icon)
    ("setup.py", "nav.setup", ":material/tune:"),
    ("live.py", "nav.live", ":material/monitoring:"),
    ("compare.py", "nav.compare", ":material/leaderboard:"),
    ("diagnostics.py", "nav.diagnostics", ":material/biotech:"),
    ("samples.py", "nav.samples", ":material/image_search:"),
    ("papers.py", "nav.papers", ":material/menu_book:"),
)

# A local file, not ":material/...": Streamlit fetches material favicons from fonts.gstatic.com (offline machines).
st.set_page_config(
    page_title="labelscope", page_icon=os.path.join(os.path.dirname(__file__), "assets", "icon.png"), layout="wide"
)
lang = state.lang()
with st.sidebar:
    # The widget has its own key: the language itself lives in state (session + query parameter) so
    # it survives page switches and reloads.
    langs = list(state.LANG_NAMES)
    st.radio(
        f"{t('app.language', 'en')} / {t('app.language', 'ja')}",
        langs,
        index=langs.index(lang),
        format_func=state.LANG_NAMES.get,
        key="lang_switch",
        horizontal=True,
        on_change=lambda: state.set_lang(st.session_state["lang_switch"]),
    )
    lang = state.lang()
    st.caption(t("app.tagline", lang))
    st.caption(tp("app.runs_dir", lang, path=state.runs_dir()))


pages = [
    st.Page(f"pages/{file}", title=t(title_key, lang), icon=icon, url_path=file[:-3], default=file == "setup.py")
    for file, title_key, icon in PAGES
]
st.navigation(pages).run()
