"""Dashboard session state in one place: runs folder (env `LABELSCOPE_RUNS`), language, current comparison."""

from __future__ import annotations

import os

import streamlit as st

from core.i18n import LANGS
from core.store.reader import list_suites

LANG_KEY = "lang"
SUITE_KEY = "current_suite"
LANG_NAMES = {"en": "English", "ja": "日本語"}


def runs_dir() -> str:
    """The run store the app reads and the launcher writes (created when missing)."""
    path = os.path.abspath(os.environ.get("LABELSCOPE_RUNS", "runs"))
    os.makedirs(path, exist_ok=True)
    return path


def lang() -> str:
    """The session's language; a reloaded tab keeps it through the `?lang=` query parameter."""
    value = st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY, "en")
    return value if value in LANGS else "en"


def set_lang(value: str) -> None:
    value = value if value in LANGS else "en"
    st.session_state[LANG_KEY] = value
    st.query_params[LANG_KEY] = value


def current_suite() -> str | None:
    """The comparison the Live and Compare pages show: the one chosen or started here, else the newest."""
    sid = st.session_state.get(SUITE_KEY)
    if sid:
        return sid
    suites = list_suites(runs_dir())
    return suites[0]["suite_id"] if suites else None


def set_current_suite(suite_id: str | None) -> None:
    st.session_state[SUITE_KEY] = suite_id
