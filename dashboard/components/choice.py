"""One-of-many widgets (selectbox, radio) whose value is the option itself, never its display label.

Streamlit (1.5x+) keeps a selectbox's or radio's state as the *formatted label*; when the labels change (the
language switches, "automatic (?)" becomes "automatic (cnn_small)", a run goes from running to completed) the
stored label matches no option and the widget hands back the label string as if it were a value, or shows
nothing selected. Here the chosen option lives under `key` in session state (other code may set it there,
e.g. an upload choosing the noise mode) and the widget's own key includes a digest of its labels.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def _widget_key(key: str, labels: list[str]) -> str:
    return f"{key}.w{zlib.crc32(chr(31).join(labels).encode()):08x}"


def choose(
    widget: Callable,
    label: str,
    options: Sequence[Any],
    key: str,
    format_func: Callable[[Any], str] = str,
    default: Any = None,
    **kwargs,
) -> Any:
    """Draw `widget` (st.selectbox / st.radio, or a column's) over `options` and return the chosen option.

    `st.session_state[key]` holds the choice (set it before this call to change it); `default` is used
    when it holds nothing valid, else the first option."""
    options = list(options)
    if not options:
        return None
    current = st.session_state.get(key)
    if current not in options:
        current = default if default in options else options[0]
    st.session_state[key] = current
    labels = [format_func(o) for o in options]
    wkey = _widget_key(key, labels)
    user_cb = kwargs.pop("on_change", None)

    def _sync() -> None:  # runs before the script: the user's pick becomes the choice
        st.session_state[key] = st.session_state[wkey]
        if user_cb:
            user_cb()

    kwargs["on_change"] = _sync
    if wkey in st.session_state:
        if st.session_state[wkey] != current:  # set from outside since the last draw
            st.session_state[wkey] = current
        kwargs.pop("index", None)
        picked = widget(label, options, format_func=format_func, key=wkey, **kwargs)
    else:
        picked = widget(label, options, index=options.index(current), format_func=format_func, key=wkey, **kwargs)
    if picked not in options:  # cannot happen with stable labels; never hand a label on as a value
        picked = current
    st.session_state[key] = picked
    return picked


def set_choice(key: str, value: Any) -> None:
    """Choose `value` for the widget drawn later with `choose(..., key=key)` (before it is drawn this run)."""
    st.session_state[key] = value
