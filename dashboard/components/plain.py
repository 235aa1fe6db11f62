"""User-provided strings (class names, file and column names, error text) shown as plain text inside Markdown.

Streamlit renders `st.markdown`, `st.caption`, `st.error`... as Markdown with its own extensions
(`:red[...]`, `:material/icon:`, `$math$`), so a class name like `**x** [y](javascript:...)` would
become bold text and a link. Every such value is escaped before it is formatted into a message.
"""

from __future__ import annotations

import html
import re

from core.i18n import t

# Markdown, Streamlit's directives (`:`), LaTeX (`$`), and HTML's `<`/`&` (escaped as entities below).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$>])")


def plain(text) -> str:
    """`text` escaped so that Markdown shows it character for character; newlines become spaces."""
    s = html.escape(str(text), quote=False)
    return _SPECIAL.sub(r"\\\1", s).replace("\n", " ").replace("\r", " ")


def tp(key: str, lang: str, **values) -> str:
    """`t(key, lang, **values)` with every value shown as plain text (the template's own Markdown stays)."""
    return t(key, lang, **{k: plain(v) if isinstance(v, str) else v for k, v in values.items()})
