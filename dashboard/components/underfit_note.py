"""A warning under a comparison's table when finished runs look underfit, saying what to change."""

from __future__ import annotations

import streamlit as st

from core.engine.underfit import underfit_text
from core.i18n import t
from core.store.record import RunRecord


def underfit_note(records: list[RunRecord], lang: str) -> None:
    """One warning naming how many of the runs look underfit, and the advice."""
    flagged = [r.summary for r in records if (r.summary or {}).get("underfit")]
    if flagged:
        st.warning(
            t("underfit.count", lang, n=len(flagged), total=len(records))
            + " "
            + underfit_text(flagged[0]["underfit"], flagged[0].get("model", ""), lang)
        )
