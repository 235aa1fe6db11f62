"""The meeting pack's content, built once and laid out twice (PowerPoint in deck.py, PDF in pdf.py).

Title facts (dataset, noise, methods, seeds, date), the summary table from `suite_rows`, one entry per
chart and the plain-words takeaways from `core.verdict`.
"""

from __future__ import annotations

import dataclasses
import time

from core.engine.columns import recorded, summary_columns
from core.engine.suite import suite_rows
from core.export.charts import BuiltChart
from core.export.target import ExportTarget, dataset_name, noise_text, seeds_text, setting_line
from core.i18n import t
from core.registry import baseline_method
from core.verdict import robustness_lines, verdict
from core.viz import CHARTS
from core.viz.robustness import spans_rates
from core.viz.style import noise_name

# Charts a deck shows when none are chosen (those that apply and have data), in slide order.
DECK_DEFAULT = ("bars", "curves", "train_clean_vs_observed", "rlp_heads")
GRID_DECK = ("robustness",)  # first in the deck of a comparison over several noise rates


@dataclasses.dataclass
class MeetingPack:
    lang: str
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    table_title: str
    table_head: list[str]
    table_rows: list[list[str]]
    table_note: str
    charts: list[BuiltChart]
    setting: str  # one line under each chart slide's title
    takeaways_title: str
    takeaways: list[str]
    footer: str


def _date(ts: float) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(ts)) if ts else "?"


def summary_table(target: ExportTarget, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows (one per method) from the runs' summaries; columns nobody recorded are dropped."""
    rows = suite_rows([r.record() for r in target.runs])
    cols = recorded(summary_columns(), rows)  # the same columns as the CLI table and the Compare page
    grid = len({(r["noise"], r["noise_rate"]) for r in rows}) > 1  # a noise column, as on the Compare page
    head = ([t("col.setting", lang)] if grid else []) + [t("export.col.method", lang), t("export.col.runs", lang)]
    head += [c.title(lang) for c in cols]
    with_cost = any(r.get("cost_vs_ce") for r in rows) and len(rows) > 1
    if with_cost:
        head.append(t("export.col.cost_vs_ce", lang, base=baseline_method()))
    body = []
    for r in rows:
        cells = [t("noise.desc", lang, kind=noise_name(r["noise"], lang), rate=r["noise_rate"])] if grid else []
        cells += [str(r["method"]), f"{r['completed']}/{r['n']}"]
        cells += [c.cell(r[c.key + "_mean"], r[c.key + "_std"], len(r[c.key + "_values"])) or "–" for c in cols]
        if with_cost:
            cells.append(f"{r['cost_vs_ce']:.2f}×" if r.get("cost_vs_ce") else "–")
        body.append(cells)
    return head, body


def takeaways(target: ExportTarget, lang: str) -> list[str]:
    records = [r.record() for r in target.runs]
    if target.kind == "run":
        r = target.runs[0]
        acc = (r.summary or {}).get("test_acc_final")
        lines = [
            t(
                "export.takeaways.run",
                lang,
                method=r.config.get("method"),
                seed=r.config.get("seed"),
                acc="–" if acc is None else f"{acc:.4f}",
            )
        ]
    elif spans_rates(target.runs):  # a grid: one line per method across the noise rates
        lines = robustness_lines(records, lang) or [t("verdict.need_two", lang)]
    else:
        lines = list(verdict(records, lang))
    unfinished = sum(1 for r in target.runs if (r.summary or {}).get("state") != "completed")
    if unfinished:
        lines.append(t("export.takeaways.unfinished", lang, n=unfinished, total=len(target.runs)))
    return lines


def build_pack(target: ExportTarget, charts: list[BuiltChart], lang: str, now: float | None = None) -> MeetingPack:
    now = time.time() if now is None else now
    s = target.setting
    # The suite keeps the model as asked ("" = chosen from the data); the runs record the one used.
    model = (
        s.get("model") or target.runs[0].config.get("model") or (target.runs[0].summary or {}).get("model") or "auto"
    )
    facts = [
        (t("export.fact.dataset", lang), dataset_name(s)),
        (t("export.fact.noise", lang), noise_text(s, lang)),
        (t("export.fact.methods", lang), ", ".join(str(m) for m in target.methods)),
        (t("export.fact.seeds", lang), seeds_text(target.seeds)),
        (
            t("export.fact.training", lang),
            t("export.fact.training_value", lang, model=model, epochs=s.get("epochs", "?")),
        ),
        (
            t("export.fact.date", lang),
            t("export.fact.date_value", lang, date=_date(now), trained=_date(target.created)),
        ),
        (t(f"export.fact.id.{target.kind}", lang), target.target_id),
    ]
    head, body = summary_table(target, lang)
    return MeetingPack(
        lang=lang,
        title=t(f"export.deck.title.{target.kind}", lang),
        subtitle=t("export.deck.subtitle", lang, dataset=dataset_name(s), noise=noise_text(s, lang)),
        facts=facts,
        table_title=t("export.table.title", lang),
        table_head=head,
        table_rows=body,
        table_note=t("export.table.note", lang),
        charts=charts,
        setting=setting_line(target, lang),
        takeaways_title=t("export.takeaways.title", lang),
        takeaways=takeaways(target, lang),
        footer=t("export.footer", lang, id=target.target_id, date=_date(now)),
    )


def deck_chart_ids(available: list[str], runs: list | None = None) -> list[str]:
    """The default deck charts among `available`: GRID_DECK's when `runs` span several noise rates, DECK_DEFAULT's,
    then any single-run diagnostics (run exports)."""
    chosen = [c for c in (GRID_DECK if runs and spans_rates(runs) else ()) + DECK_DEFAULT if c in available]
    chosen += [c for c in available if CHARTS[c].scope == "run" and c not in chosen]
    return chosen or list(available)
