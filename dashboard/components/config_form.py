"""A form generated from a config dataclass's field metadata (`core.config.opt`): bounds, choices and help.

Labels are words (`opt.<field>` in core/i18n.py, else the field name with spaces); the field id stays in the
help text, since it is what `--set` and config.json use. Choices are words too (`choice.<value>`).
"""

from __future__ import annotations

import json

import streamlit as st

from core import config as C
from core.errors import UserError
from core.i18n import words
from dashboard.components.choice import choose


def _widget(spec: dict, key: str, lang: str):
    default = spec["default"]
    name = words("opt", spec["name"], lang, spec["name"].replace("_", " "))
    helptext = f"`{spec['name']}`" + (f": {spec['help']}" if spec["help"] else "")
    if spec["choices"]:
        choices = list(spec["choices"])
        return choose(
            st.selectbox,
            name,
            choices,
            key=key,
            default=default,
            help=helptext,
            format_func=lambda c: words("choice", str(c), lang, str(c)),
        )
    if isinstance(default, bool):
        return st.checkbox(name, value=default, help=helptext, key=key)
    if isinstance(default, int):
        return st.number_input(
            name,
            value=default,
            step=1,
            min_value=int(spec["lo"]) if spec["lo"] is not None else None,
            max_value=int(spec["hi"]) if spec["hi"] is not None else None,
            help=helptext,
            key=key,
        )
    if isinstance(default, float):
        lo, hi = spec["lo"], spec["hi"]
        step = (hi - lo) / 100 if lo is not None and hi is not None and hi > lo else max(abs(default) / 10, 1e-4)
        return st.number_input(
            name,
            value=float(default),
            min_value=float(lo) if lo is not None else None,
            max_value=float(hi) if hi is not None else None,
            step=float(step),
            format="%g",
            help=helptext,
            key=key,
        )
    if isinstance(default, (list, dict)):
        return st.text_input(name, value=json.dumps(default), help=helptext, key=key)
    return st.text_input(name, value="" if default is None else str(default), help=helptext, key=key)


def config_form(
    cls: type, key: str, columns: int = 2, only: tuple[str, ...] | None = None, lang: str = "en"
) -> tuple[dict, str | None]:
    """Widgets for the fields of `cls` (all, or those in `only`); returns (values, error) where error is
    the validation message."""
    specs = [s for s in C.field_specs(cls) if only is None or s["name"] in only]
    values = {}
    cols = st.columns(columns) if specs else []
    for i, spec in enumerate(specs):
        with cols[i % columns]:
            values[spec["name"]] = _widget(spec, f"{key}.{spec['name']}", lang)
    try:
        C.build(cls, values)
    except UserError as e:
        return values, str(e)
    return values, None
