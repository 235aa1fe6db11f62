"""The one comparison/run picker shared by the pages; it reads the run store and remembers the choice."""

from __future__ import annotations

import datetime as _dt
import os

import streamlit as st

from core.i18n import t
from core.store.reader import UNREADABLE, list_runs, list_suites
from core.store.record import RunRecord
from core.viz.curves import setting_label
from dashboard import state
from dashboard.components.choice import choose
from dashboard.components.plain import tp
from dashboard.launcher import suite_run_ids

LOOSE = "_loose"  # pseudo-comparison: runs started outside any comparison (e.g. `labelscope train`)


def _suite_label(s: dict, lang: str) -> str:
    when = _dt.datetime.fromtimestamp(s.get("created", 0)).strftime("%Y-%m-%d %H:%M")
    setting = s.get("setting") or {}
    grid = s.get("grid") or {}
    noise = setting_label(setting, lang)
    if len(grid.get("noise_rate") or ()) > 1 or len(grid.get("noise") or ()) > 1:  # a grid over noise settings
        noise = f"{'/'.join(grid['noise'])} {'/'.join(f'{r:.0%}'.rstrip('%') for r in grid['noise_rate'])}%"
    return t(
        "picker.label",
        lang,
        when=when,
        dataset=os.path.basename(str(setting.get("dataset", "?"))),
        noise=noise,
        n=len(s.get("run_ids", [])),
    )


def pick_comparison(lang: str, key: str = "pick_comparison") -> tuple[str | None, list[str]]:
    """Selectbox of every comparison (newest first) plus loose runs; returns (suite_id, run_ids)."""
    runs_dir = state.runs_dir()
    suites = list_suites(runs_dir)
    in_suite = {r for s in suites for r in s.get("run_ids", [])}
    loose = [r.run_id for r in list_runs(runs_dir) if r.run_id not in in_suite]
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
    if sid == LOOSE:
        return sid, loose
    info = next(s for s in suites if s["suite_id"] == sid)
    ids = suite_run_ids(runs_dir, sid)
    refused = info.get("refused", []) + [
        r for r in info.get("run_ids", []) if r not in ids and os.path.lexists(os.path.join(runs_dir, r))
    ]
    if refused:
        st.warning(tp("picker.refused", lang, n=len(refused), ids=", ".join(map(str, refused[:5]))))
    return sid, ids


def readable(pairs: list, lang: str) -> list:
    """(run, status) pairs that can be shown; each unreadable run gets one warning with its path instead."""
    out = []
    for run, status in pairs:
        if status.get("state") == UNREADABLE:
            st.warning(
                tp("run.unreadable", lang, run=run.run_id, error=status.get("error", "?")),
                icon=":material/broken_image:",
            )
        else:
            out.append((run, status))
    return out


def pick_run(label: str, runs: list[RunRecord], key: str, lang: str) -> str | None:
    """Selectbox over run records (with their status); returns the run id."""
    if not runs:
        return None
    by_id = {r.run_id: r for r in runs}

    def fmt(rid: str) -> str:
        c = by_id[rid].config
        st_ = (by_id[rid].status or {}).get("state", "queued")
        return f"{c.get('method')} · s{c.get('seed')} · {t('live.state.' + st_, lang)}"

    # `choose`: the labels carry the run's state, which changes while it trains.
    return choose(st.selectbox, label, list(by_id), key=key, format_func=fmt)
