"""Components that other parts of the dashboard provide and that may not exist in this version yet."""
from __future__ import annotations

import importlib
from typing import Callable

import streamlit as st

from core.i18n import t


def component(module: str, name: str) -> Callable | None:
    """`dashboard.components.<module>.<name>` if that component exists, else None."""
    try:
        mod = importlib.import_module(f"dashboard.components.{module}")
    except ModuleNotFoundError as e:
        if e.name != f"dashboard.components.{module}":
            raise  # the component exists but is broken: show the real error
        return None
    return getattr(mod, name, None)


def not_available(what_key: str, lang: str) -> None:
    st.caption(t("app.not_available", lang, what=t(what_key, lang)))
