"""The summary table's columns, one spec for the CLI table, the Compare page and the meeting deck.

A column is a summary key (mean ± std over a method's completed seeds, from `suite.suite_rows`), its header
(an i18n key, or a bilingual label a plug-in declares) and its number format. Monitors add theirs by
declaring a `Scalar(..., column=True)` (core/outputs.py), so no table names a plug-in.
"""

from __future__ import annotations

import dataclasses

from core.i18n import t


@dataclasses.dataclass(frozen=True)
class SummaryColumn:
    key: str  # summary key, e.g. "test_acc_final"
    label_key: str  # i18n key of the header ("" when `label` is given)
    format: str = "{:.3f}"
    spread: bool = True  # show "± std" when there are two or more seeds
    label: dict | None = None  # {"en", "ja"}: a declared header

    def title(self, lang: str = "en") -> str:
        if self.label:
            return self.label.get(lang) or self.label["en"]
        return t(self.label_key, lang)

    def cell(self, mean: float | None, std: float | None, n: int) -> str | None:
        """'0.812 ± 0.004', '0.812' for a single seed, None when no run recorded the value."""
        if mean is None:
            return None
        if not self.spread or n < 2 or std is None:
            return self.format.format(mean)
        return f"{self.format.format(mean)} ± {self.format.format(std)}"


ENGINE_COLUMNS = (
    SummaryColumn("test_acc_final", "col.test_acc_final"),
    SummaryColumn("test_acc_best", "col.test_acc_best"),
    SummaryColumn("noise_auroc", "col.noise_auroc"),
)
TRAILING_COLUMNS = (
    SummaryColumn("train_memorized_final", "col.train_memorized_final"),
    SummaryColumn("wall_time_s", "col.wall_time_s", format="{:.1f}", spread=False),
)


def summary_columns() -> tuple[SummaryColumn, ...]:
    """Every column: the engine's, then what registered monitors declare as columns, then memorized and time."""
    from core.outputs import produces_of
    from core.registry import MONITORS

    declared = tuple(
        SummaryColumn(s.key.replace("/", "_") + "_final", "", label=s.label)
        for _, mon in MONITORS.items()
        for s in produces_of(mon).scalars
        if s.column
    )
    return ENGINE_COLUMNS + declared + TRAILING_COLUMNS


def recorded(columns, rows: list[dict]) -> list[SummaryColumn]:
    """The columns some row of `suite_rows` has a value for (real-label runs have no noise AUROC, ...)."""
    return [c for c in columns if any(r.get(c.key + "_mean") is not None for r in rows)]
