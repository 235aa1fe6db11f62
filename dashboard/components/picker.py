"""The one comparison/run picker shared by the pages; it reads the run store and remembers the choice."""
from __future__ import annotations

import datetime as _dt
import os

import streamlit as st

from core.i18n import t
from core.store.reader import list_runs, list_suites
from core.viz.curves import setting_label
from dashboard import state
from dashboard.components.choice import choose
from dashboard.launcher import suite_run_ids

LOOSE = "_loose"  # pseudo-comparison: runs started outside any comparison (e.g. `labelscope train`)


def _suite_label(s: dict, lang: str) -> str:
    when = _dt.datetime.fromtimestamp(s.get("created", 0)).strftime("%Y-%m-%d %H:%M")
    setting = s.get("setting") or {}
    return t("picker.label", lang, when=when, dataset=os.path.basename(str(setting.get("dataset", "?"))),
             noise=setting_label(setting, lang), n=len(s.get("run_ids", [])))


def pick_comparison(lang: str, key: str = "pick_comparison") -> tuple[str | None, list[str]]:
    """Selectbox of every comparison (newest first) plus loose runs; returns (suite_id, run_ids)."""
    runs_dir = state.runs_dir()
    suites = list_suites(runs_dir)
    in_suite = {r for s in suites for r in s.get("run_ids", [])}
    loose = [r["run_id"] for r in list_runs(runs_dir) if r["run_id"] not in in_suite]
    options = [s["suite_id"] for s in suites] + ([LOOSE] if loose else [])
    if not options:
        st.info(t("picker.none", lang))
        return None, []
    labels = {s["suite_id"]: _suite_label(s, lang) for s in suites}
    labels[LOOSE] = t("picker.other_runs", lang)
    current = state.current_suite()
    index = options.index(current) if current in options else 0
    # The language is part of the key: a keyed selectbox keeps its first option labels otherwise.
    sid = st.selectbox(t("picker.comparison", lang), options, index=index, format_func=labels.get, key=f"{key}-{lang}")
    state.set_current_suite(sid)
    return sid, (loose if sid == LOOSE else suite_run_ids(runs_dir, sid))


def pick_run(label: str, runs: list[dict], key: str, lang: str) -> str | None:
    """Selectbox over run records (config + status); returns the run id."""
    if not runs:
        return None
    by_id = {r["run_id"]: r for r in runs}

    def fmt(rid: str) -> str:
        c = by_id[rid]["config"]
        st_ = by_id[rid]["status"].get("state", "queued")
        return f"{c.get('method')} · s{c.get('seed')} · {t('live.state.' + st_, lang)}"

    # `choose`: the labels carry the run's state, which changes while it trains.
    return choose(st.selectbox, label, list(by_id), key=key, format_func=fmt)
