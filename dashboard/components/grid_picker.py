"""Set up page pieces for scale: several noise rates and kinds (a grid), and where to train (this machine or Ray).

Both return plain values for `launcher.start_comparison`; the page only places them.
"""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.registry import BACKENDS, NOISE
from dashboard.components.config_form import config_form

RATES = tuple(round(0.1 * i, 1) for i in range(9))  # 0%, 10%, ..., 80%
# Backend options a user sets on the page (the dashboard picks `workers` itself; a stop grace is for experts).
OPTIONS = ("address", "cpus_per_run", "gpus_per_run")


def noise_grid(lang: str, kind: str, rate: float, kinds: list[str]) -> dict:
    """A 'several noise settings' switch; when on, the rates and kinds to cross. Returns {} when off, else
    {"noises": [...], "rates": [...]} (the page's single kind/rate stay the first cell)."""
    if not st.toggle(t("setup.grid", lang), key="setup.grid", help=t("setup.grid_help", lang)):
        return {}
    c1, c2 = st.columns(2)
    near = min(RATES, key=lambda r: abs(r - rate))
    rates = c1.multiselect(
        t("setup.grid_rates", lang),
        list(RATES),
        default=sorted({near, 0.2, 0.4, 0.6}),
        format_func=lambda r: f"{r:.0%}",
        key="setup.grid_rates",
    )
    chosen = c2.multiselect(
        t("setup.grid_kinds", lang),
        kinds,
        default=[kind],
        key=f"setup.grid_kinds-{lang}",
        format_func=lambda k: t(f"noise.{k}", lang),
    )
    if not rates or not chosen:
        st.warning(t("setup.grid_empty", lang))
        return {"noises": chosen, "rates": rates}
    return {"noises": chosen, "rates": sorted(rates)}


def grid_size(grid: dict) -> int:
    """Noise settings a grid crosses (1 without a grid); a kind that ignores the rate counts once."""
    if not grid:
        return 1
    per_kind = [len(grid["rates"]) if NOISE.get(k).uses_rate else 1 for k in grid["noises"]]
    return sum(per_kind)


def backend_box(lang: str) -> tuple[str, dict, str | None]:
    """Where the comparison trains: (backend, its options, the one-line reason it cannot, or None).

    The choices are the registered backends; their options come from each backend's Config (the ones a
    user sets here: OPTIONS), and a backend that needs an extra says so through `available()`."""
    with st.expander(t("setup.backend", lang)):
        names = BACKENDS.names()
        backend = st.radio(
            t("setup.backend", lang),
            names,
            index=names.index("local") if "local" in names else 0,
            horizontal=True,
            key="setup.backend",
            label_visibility="collapsed",
            format_func=lambda b: t(f"setup.backend.{b}", lang),
        )
        cls = BACKENDS.get(backend)
        err = getattr(cls, "available", lambda: None)()
        if err:
            st.error(err)
            return backend, {}, err
        options, form_err = config_form(cls.Config, key=f"setup.backend.{backend}", columns=3, only=OPTIONS)
        if options:
            st.caption(t(f"setup.backend_help.{backend}", lang))
        if form_err:
            st.error(form_err)
        return backend, options, form_err
