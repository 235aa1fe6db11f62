"""Pack content and chart choice: the summary table from the runs, a run's own report, charts without data left out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from core.errors import UserError
from core.export.charts import build_charts, has_data
from core.export.pack import build_pack, summary_table
from core.export.target import load_target, setting_line
from core.i18n import t
from core.viz import CHARTS, ChartSpec


def test_summary_table_matches_the_summaries(tiny_suite):
    target = load_target(tiny_suite["runs_dir"], tiny_suite["suite_id"])
    head, rows = summary_table(target, "en")
    by = {r[0]: r for r in rows}
    for key in ("test_acc_best", "train_memorized_final"):  # the same headers as the CLI table and Compare page
        col = head.index(t(f"col.{key}", "en"))
        for method, row in by.items():
            vals = [r.summary[key] for r in target.runs if r.config["method"] == method]
            assert row[col] == f"{np.mean(vals):.3f} ± {np.std(vals, ddof=1):.3f}"


def test_run_target_gets_a_run_report(tiny_suite):
    rid = tiny_suite["run_ids"][0]
    target = load_target(tiny_suite["runs_dir"], rid)
    assert target.kind == "run" and len(target.runs) == 1
    pack = build_pack(target, [], "en")
    assert pack.title == "Training run report"
    assert f"{target.runs[0].summary['test_acc_final']:.4f}" in pack.takeaways[0]
    assert setting_line(target, "en").startswith("digits · symmetric noise 40% · seeds 0")


def test_unknown_target_and_chart_are_clear_errors(tiny_suite):
    with pytest.raises(UserError, match="neither a comparison nor a run"):
        load_target(tiny_suite["runs_dir"], "cmp-nope")
    target = load_target(tiny_suite["runs_dir"], tiny_suite["suite_id"])
    with pytest.raises(UserError, match="valid choices: .*bars"):
        build_charts(target, ["gram_spectrum"], "en")  # a run chart does not apply to a comparison


def test_charts_without_data_are_left_out(tiny_suite, monkeypatch):
    monkeypatch.setitem(
        CHARTS, "empty_test", ChartSpec("empty_test", lambda runs, lang="en": go.Figure(), "suite", "compare")
    )
    monkeypatch.setitem(
        CHARTS, "broken_test", ChartSpec("broken_test", lambda runs, lang="en": 1 / 0, "suite", "compare")
    )
    target = load_target(tiny_suite["runs_dir"], tiny_suite["suite_id"])
    built, skipped = build_charts(target, ["bars", "empty_test", "broken_test"], "en")
    assert [b.chart_id for b in built] == ["bars"]
    assert [s.split(" ")[0] for s in skipped] == ["empty_test", "broken_test"]
    assert not has_data(go.Figure(go.Scatter(x=[], y=[]))) and has_data(go.Figure(go.Bar(x=["a"], y=[1])))


def test_chart_title_markup_becomes_plain_title_and_note():
    from core.export.charts import split_title

    assert split_title("Train accuracy<br><sup>solid: true &amp; observed</sup>") == (
        "Train accuracy",
        "solid: true & observed",
    )
    assert split_title("Test accuracy") == ("Test accuracy", "")
