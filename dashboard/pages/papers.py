"""Papers page: for each method, what its paper claims and what `labelscope papers` measured (held or not)."""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.papers import report
from dashboard import state
from dashboard.components.plain import plain, tp

lang, runs_dir = state.lang(), state.runs_dir()
st.title(t("papers.title", lang))
st.caption(t("papers.intro", lang))
data, where = report.latest(runs_dir)
if not data or not data.get("checks"):
    st.info(t("papers.none", lang))
    st.stop()
st.caption(t(f"papers.source_{where}", lang, time=data.get("time", "?"), load=float(data.get("load", 0.0))))
if data.get("note"):  # how a recorded result was obtained (data, shown as written)
    st.caption(plain(data["note"]))
for c in data["checks"]:
    held = bool(c.get("held"))
    badge = f":green[{t('papers.held', lang)}]" if held else f":red[{t('papers.not_held', lang)}]"
    st.subheader(f"{', '.join(c.get('methods', []))} · {badge}")
    st.caption(plain(c.get("paper", "")))
    claim_key = f"papers.claim.{c.get('name', '')}"
    # Our own translated claim; a check unknown to this version shows its stored English claim, escaped.
    claim = t(claim_key, lang) if t(claim_key, lang) != claim_key else plain(c.get("claim", ""))
    st.markdown(f"**{t('papers.claim', lang)}** {claim}")
    st.markdown(f"**{t('papers.prediction', lang)}** {plain(c.get('prediction', ''))}")
    st.markdown(f"**{t('papers.measurement', lang)}** {plain(c.get('measurement', ''))}")
    st.caption(
        tp(
            "papers.run_info",
            lang,
            seeds=", ".join(str(s) for s in c.get("seeds", [])),
            mode=t("papers.quick" if c.get("quick") else "papers.full", lang),
            seconds=float(c.get("seconds", 0.0)),
            load=float(c.get("load", 0.0)),
        )
    )
