"""One summary-column spec: the CLI table, the Compare page and the deck show the same columns, labels and cells."""

from __future__ import annotations

import pytest

from core.engine.columns import ENGINE_COLUMNS, SummaryColumn, recorded, summary_columns
from core.engine.suite import format_table, suite_rows
from core.i18n import t
from core.registry import MONITORS
from core.store.record import RunRecord


def _records():
    out = []
    for m, accs in (("ce", (0.70, 0.74)), ("labo", (0.80, 0.82))):
        for seed, acc in enumerate(accs):
            out.append(
                RunRecord(
                    run_id=f"{m}-{seed}",
                    config={"method": m, "seed": seed, "noise": "symmetric", "noise_rate": 0.4},
                    summary={
                        "state": "completed",
                        "test_acc_final": acc,
                        "test_acc_best": acc + 0.01,
                        "wall_time_s": 10.0 + seed,
                        "epoch_time_s": 1.0,
                        "rlp_acc_train_final": 0.3,
                    },
                )
            )
    return out


def test_a_cell_is_mean_and_spread_with_the_spec_format():
    c = SummaryColumn("x", "col.x", "{:.2f}")
    assert (
        c.cell(0.8123, 0.01, 2) == "0.81 ± 0.01" and c.cell(0.8123, 0.0, 1) == "0.81" and c.cell(None, None, 0) is None
    )
    assert (
        SummaryColumn("w", "", "{:.1f}", spread=False, label={"en": "w", "ja": "ダブリュー"}).title("ja")
        == "ダブリュー"
    )


def test_monitor_columns_come_from_their_declaration():
    cols = {c.key: c for c in summary_columns()}
    for name, mon in MONITORS.items():
        for s in mon.produces.scalars:
            if s.column:
                key = s.key.replace("/", "_") + "_final"
                assert cols[key].title("ja") == s.label["ja"], name
    assert [c.key for c in summary_columns()[: len(ENGINE_COLUMNS)]] == [c.key for c in ENGINE_COLUMNS]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_cli_table_uses_the_column_titles_and_cells(lang):
    rows = suite_rows(_records())
    text = format_table(rows, lang)
    cols = recorded(summary_columns(), rows)
    assert "noise_auroc" not in [c.key for c in cols]  # nobody recorded it: dropped
    head = text.splitlines()[0]
    for c in cols:
        assert c.title(lang) in head
    assert t("col.method", lang) in head
    ce = next(r for r in rows if r["method"] == "ce")
    col = next(c for c in cols if c.key == "test_acc_final")
    assert col.cell(ce["test_acc_final_mean"], ce["test_acc_final_std"], 2) in text
