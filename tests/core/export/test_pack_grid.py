"""The meeting pack of a grid over noise rates: the robustness curve first, a noise column, a verdict per rate."""

from core.export.charts import applicable, build_charts
from core.export.pack import build_pack, deck_chart_ids
from core.export.target import load_target


def test_a_grid_pack_leads_with_robustness(grid_store):
    target = load_target(grid_store, "grid1")
    ids = deck_chart_ids(applicable(target), target.runs)
    assert ids[0] == "robustness"
    charts, _ = build_charts(target, ids, "en")
    pack = build_pack(target, charts, "en")
    assert pack.charts[0].chart_id == "robustness"
    assert pack.table_head[0] == "noise" and [r[0] for r in pack.table_rows[:2]] == ["symmetric 20%"] * 2
    assert pack.takeaways == [
        "LaBo (per-sample smoothing) (labo): beat plain training (ce) at 40% and 60%, tied with plain training (ce) at 20%."
    ]
    assert "20, 40, 60%" in pack.subtitle


def test_a_single_setting_pack_has_no_robustness_slide(tiny_suite):
    target = load_target(tiny_suite["runs_dir"], tiny_suite["suite_id"])
    assert "robustness" not in deck_chart_ids(applicable(target), target.runs)
