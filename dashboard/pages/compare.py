"""Compare page: runs grouped by method (and noise setting), mean ± band curves with a smoothing slider,
a summary table, a bar chart with error bars and a plain-words verdict for each setting; for a grid over
noise rates, the robustness curve (accuracy against noise rate) and a verdict per noise rate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.engine.columns import summary_columns
from core.engine.suite import suite_rows
from core.i18n import t
from core.registry import baseline_method
from core.store.record import RunRecord
from core.verdict import robustness_lines, verdict
from core.viz.curves import CURVE_METRICS, setting_label
from core.viz.robustness import spans_rates
from core.viz.style import method_label
from dashboard import launcher, state
from dashboard.components import run_cache
from dashboard.components.charts import chart
from dashboard.components.export_panel import render_export_panel
from dashboard.components.picker import LOOSE, pick_comparison, readable
from dashboard.components.underfit_note import underfit_note


def table(records: list[RunRecord], lang: str) -> pd.DataFrame:
    """One row per (setting, method) from `suite_rows`, cells 'mean ± std'."""
    by_setting: dict[str, list[RunRecord]] = {}
    for r in records:
        by_setting.setdefault(setting_label(r.config, lang), []).append(r)
    out = []
    for setting, recs in by_setting.items():
        for row in suite_rows(recs):
            cells = {
                t("col.method", lang): method_label(row["method"], lang),
                t("col.setting", lang): setting,
                t("col.runs", lang): f"{row['completed']}/{row['n']}",
            }
            for col in summary_columns():  # the same columns as the CLI table and the deck
                cells[col.title(lang)] = col.cell(
                    row[col.key + "_mean"], row[col.key + "_std"], len(row[col.key + "_values"])
                )
            cells[t("col.cost", lang, base=baseline_method())] = (
                f"{row['cost_vs_ce']:.2f}×" if row.get("cost_vs_ce") else None
            )
            out.append(cells)
    df = pd.DataFrame(out)
    if len(by_setting) == 1 and not df.empty:
        df = df.drop(columns=[t("col.setting", lang)])
    return df.dropna(axis=1, how="all")


lang = state.lang()
runs_dir = state.runs_dir()
st.title(t("compare.title", lang))
suite_id, run_ids = pick_comparison(lang, key="compare-pick")
pairs = readable(run_cache.load_many(runs_dir, run_ids), lang)
if not pairs:
    st.stop()
runs = [r for r, _ in pairs]
records = [r.record() for r in runs]
busy = sum(1 for _, s in pairs if s.get("state") not in launcher.TERMINAL)
if busy:
    st.info(t("compare.in_progress", lang, n=busy))

present = [m for m in CURVE_METRICS if any(m in row for r in runs for row in r.metrics[-1:])]
if present:
    c1, c2 = st.columns([2, 1])
    metric = c1.selectbox(
        t("compare.metric", lang), present, format_func=lambda m: t(f"metric.{m}", lang), key=f"compare-metric-{lang}"
    )
    smoothing = c2.slider(
        t("compare.smoothing", lang),
        0.0,
        0.95,
        0.0,
        0.05,
        help=t("compare.smoothing_help", lang),
        key="compare-smoothing",
    )
    chart("curves", runs, lang, key="compare-curves", height=440, metric=metric, smoothing=smoothing)

finished = [r for r in records if (r.summary or {}).get("state") == "completed"]
st.subheader(t("compare.table", lang))
if not finished:
    st.info(t("compare.no_finished", lang))
    st.stop()
# Columns sized to their headers: a narrow default clipped the Japanese "cost vs ce" header.
st.dataframe(
    table(records, lang),
    hide_index=True,
    column_config={c: st.column_config.Column(width="medium") for c in (t("col.cost", lang, base=baseline_method()),)},
)
sources = sorted({(r.summary or {}).get("noise_auroc_source") for r in finished} - {None})
if sources:  # the AUROC column's detector, named (it never saw the labels it scores)
    st.caption(t("compare.auroc_source", lang, source="; ".join(t(f"detect.source.{s}", lang) for s in sources)))
underfit_note(finished, lang)
if spans_rates(runs):  # a grid over noise rates: which method holds up as the labels get worse
    st.subheader(t("compare.robustness", lang))
    left, right = st.columns([3, 2], gap="large")
    with left:
        chart("robustness", runs, lang, key="compare-robustness", height=420)
    with right:
        st.markdown(f"**{t('compare.robustness_verdict', lang)}**")
        st.markdown("\n".join(f"- {line}" for line in robustness_lines(finished, lang)) or "–")
left, right = st.columns([3, 2], gap="large")
with left:
    chart("bars", runs, lang, key="compare-bars", height=380)
with right:
    st.subheader(t("compare.verdict", lang))
    by_setting: dict[str, list[RunRecord]] = {}
    for r in finished:
        by_setting.setdefault(setting_label(r.config, lang), []).append(r)
    for setting, recs in by_setting.items():
        if len(by_setting) > 1:
            st.markdown(f"**{t('compare.setting', lang, setting=setting)}**")
        lines = verdict(recs, lang)
        st.markdown("\n".join(f"- {line}" for line in lines))

if suite_id and suite_id != LOOSE:
    with st.expander(t("compare.export", lang)):
        render_export_panel(runs_dir, suite_id, lang)
