"""Set up page pieces for scale: several noise rates and kinds (a grid), and where to train (this machine or Ray).

Both return plain values for `launcher.start_comparison`; the page only places them.
"""
from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.registry import NOISE

RATES = tuple(round(0.1 * i, 1) for i in range(9))  # 0%, 10%, ..., 80%


def noise_grid(lang: str, kind: str, rate: float, kinds: list[str]) -> dict:
    """A 'several noise settings' switch; when on, the rates and kinds to cross. Returns {} when off, else
    {"noises": [...], "rates": [...]} (the page's single kind/rate stay the first cell)."""
    if not st.toggle(t("setup.grid", lang), key="setup.grid", help=t("setup.grid_help", lang)):
        return {}
    c1, c2 = st.columns(2)
    near = min(RATES, key=lambda r: abs(r - rate))
    rates = c1.multiselect(t("setup.grid_rates", lang), list(RATES), default=sorted({near, 0.2, 0.4, 0.6}),
                           format_func=lambda r: f"{r:.0%}", key="setup.grid_rates")
    chosen = c2.multiselect(t("setup.grid_kinds", lang), kinds, default=[kind], key=f"setup.grid_kinds-{lang}",
                            format_func=lambda k: t(f"noise.{k}", lang))
    if not rates or not chosen:
        st.warning(t("setup.grid_empty", lang))
        return {"noises": chosen, "rates": rates}
    return {"noises": chosen, "rates": sorted(rates)}


def grid_size(grid: dict) -> int:
    """Noise settings a grid crosses (1 without a grid); a kind that ignores the rate counts once."""
    if not grid:
        return 1
    per_kind = [len(grid["rates"]) if getattr(NOISE.get(k), "uses_rate", True) else 1 for k in grid["noises"]]
    return sum(per_kind)


def backend_box(lang: str) -> tuple[str, dict, str | None]:
    """Where the comparison trains: (backend, its options, the one-line reason it cannot, or None)."""
    with st.expander(t("setup.backend", lang)):
        backend = st.radio(t("setup.backend", lang), ["local", "ray"], horizontal=True, key="setup.backend",
                           format_func=lambda b: t(f"setup.backend.{b}", lang), label_visibility="collapsed")
        if backend == "local":
            return "local", {}, None
        c1, c2, c3 = st.columns([2, 1, 1])
        address = c1.text_input(t("setup.ray_address", lang), "", key="setup.ray_address",
                                placeholder="ray://head:10001", help=t("setup.ray_address_help", lang))
        cpus = c2.number_input(t("setup.cpus_per_run", lang), 0.0, 256.0, 1.0, 0.5, key="setup.cpus_per_run")
        gpus = c3.number_input(t("setup.gpus_per_run", lang), 0.0, 8.0, 0.0, 0.25, key="setup.gpus_per_run",
                               help=t("setup.gpus_per_run_help", lang))
        try:
            from core.engine.backends.ray_backend import require_ray

            require_ray()
            err = None
        except Exception as e:  # noqa: BLE001  (the one-line install hint, shown instead of a Run that fails)
            err = str(e)
            st.error(err)
        return "ray", {"address": address.strip(), "cpus_per_run": float(cpus), "gpus_per_run": float(gpus)}, err
