"""Papers page via AppTest: the latest saved paper-check results per method, held and not held, in both languages."""

from __future__ import annotations

from core.i18n import t
from core.papers import report
from core.papers.base import CheckResult


def _result(name: str, held: bool) -> CheckResult:
    return CheckResult(
        name,
        f"arXiv 0000.0000 {name}",
        [name],
        "a claim",
        "a prediction",
        f"measured {name}",
        held,
        [0, 1],
        True,
        {"x": [1.0, 2.0]},
        seconds=3.0,
        load=1.5,
    )


def test_page_shows_each_checks_claim_and_verdict(open_page, tmp_path, monkeypatch):
    runs = str(tmp_path / "runs")
    monkeypatch.setattr(report, "RECORDED", str(tmp_path / "none.json"))
    at = open_page("pages/papers.py", runs)
    assert any(t("papers.none") in i.value for i in at.info)
    report.save(runs, report.payload([_result("labo", True), _result("drift", False)]))
    for lang in ("en", "ja"):
        at.session_state["lang"] = lang
        at.run()
        assert not at.exception
        text = " ".join(m.value for m in at.markdown) + " ".join(h.value for h in at.subheader)
        assert t("papers.claim.labo", lang) in text and "measured drift" in text
        heads = [h.value for h in at.subheader]
        assert any(t("papers.held", lang) in h and "labo" in h for h in heads)
        assert any(t("papers.not_held", lang) in h and "drift" in h for h in heads)
