"""Plain-words verdict of a comparison, derived only from the numbers and honest about ties and spread.

Each method is compared to a reference (the declared baseline method when present) on final test accuracy: the mean
difference over seeds ± its standard error (said as such: the tables show standard deviations), called a
real difference only when it exceeds the two-sided 95% Student-t threshold (paired by seed when both
methods share seeds); sentences give the p-value.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import stats

from core.i18n import t
from core.registry import baseline_method
from core.store.record import RunRecord
from core.viz.style import method_label


@dataclasses.dataclass(frozen=True)
class Contrast:
    """One method against the reference: diff and se in accuracy points (0–100 scale)."""

    method: str
    reference: str
    n: int  # seeds (pairs when paired) behind the estimate
    diff: float
    se: float | None  # None when one seed makes the spread unknowable
    threshold: float | None  # |diff| must exceed this to count as a real difference
    paired: bool
    p: float | None = None  # two-sided p-value of the t-test behind `significant`
    ahead: int | None = None  # paired only: seeds on which the method scored above the reference

    @property
    def significant(self) -> bool:
        return self.threshold is not None and abs(self.diff) > self.threshold


def contrast(method: str, values: dict[int, float], reference: str, ref_values: dict[int, float]) -> Contrast:
    """`values` / `ref_values`: seed -> final test accuracy in [0, 1]."""
    shared = sorted(set(values) & set(ref_values))
    if len(shared) >= 2:
        d = np.array([values[s] - ref_values[s] for s in shared]) * 100
        n = len(d)
        se = float(d.std(ddof=1) / math.sqrt(n))
        thr = float(stats.t.ppf(0.975, n - 1) * se)
        p = _p_value(float(d.mean()), se, n - 1)
        return Contrast(method, reference, n, float(d.mean()), se, thr, True, p, int((d > 0).sum()))
    a = np.array(list(values.values())) * 100
    b = np.array(list(ref_values.values())) * 100
    diff = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2:
        return Contrast(method, reference, min(len(a), len(b)), diff, None, None, False)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    # Welch–Satterthwaite degrees of freedom for unpaired seeds.
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if va + vb > 0 else len(a) + len(b) - 2
    thr = float(stats.t.ppf(0.975, max(dof, 1.0)) * se)
    return Contrast(
        method, reference, min(len(a), len(b)), diff, float(se), thr, False, _p_value(diff, se, max(dof, 1.0))
    )


def _p_value(diff: float, se: float, dof: float) -> float:
    if se == 0:
        return 0.0 if diff != 0 else 1.0
    return float(2 * stats.t.sf(abs(diff / se), dof))


def contrasts(per_method: dict[str, dict[int, float]]) -> list[Contrast]:
    """per_method: method -> {seed: final test acc}. The reference is the baseline method, else the first method."""
    per_method = {m: v for m, v in per_method.items() if v}
    if len(per_method) < 2:
        return []
    base = baseline_method()
    ref = base if base in per_method else next(iter(per_method))
    return [contrast(m, v, ref, per_method[ref]) for m, v in per_method.items() if m != ref]


def per_method_values(runs: list[RunRecord], key: str = "test_acc_final") -> dict[str, dict[int, float]]:
    """From run records of completed runs: method -> {seed: value}."""
    out: dict[str, dict[int, float]] = {}
    for r in runs:
        s = r.summary or {}
        if s.get("state") != "completed" or not isinstance(s.get(key), (int, float)):
            continue
        out.setdefault(r.method, {})[int(r.config.get("seed", s.get("seed", 0)))] = float(s[key])
    return out


def p_text(p: float, significant: bool) -> str:
    """'= 0.07' or '< 0.001': a p-value as the verdict prints it (seeds with identical differences give p = 0,
    which read as 'p = 0.')."""
    if p < 0.001:
        return "< 0.001"
    return f"= {p:.2g}" if significant else f"= {p:.2f}"


def sentence(c: Contrast, lang: str = "en") -> str:
    """One plain sentence for a contrast, e.g. 'label_smoothing beat ce by 3.1 ± 0.8 points over 3 seeds.'"""
    fmt = dict(
        method=method_label(c.method, lang),
        ref=method_label(c.reference, lang),
        diff=abs(c.diff),
        signed=c.diff,
        se=c.se or 0.0,
        n=c.n,
        p=p_text(c.p if c.p is not None else 1.0, significant=c.significant),
    )
    if c.se is None:
        return t("verdict.one_seed", lang, **fmt)
    if c.significant:
        return t("verdict.beat" if c.diff > 0 else "verdict.lost", lang, **fmt)
    if c.paired and c.ahead is not None and c.diff != 0:
        # e.g. +1.3 points, ahead on 3 of 3 seeds, p = 0.07: a consistent gap that 3 seeds cannot confirm
        ahead = c.ahead if c.diff > 0 else c.n - c.ahead
        return t("verdict.tie_paired", lang, **fmt, k=ahead)
    return t("verdict.tie", lang, **fmt)


def verdict(runs: list[RunRecord], lang: str = "en") -> list[str]:
    """Sentences for a comparison of one setting: the contrasts, then an overall line."""
    per = per_method_values(runs)
    if len(per) < 2:
        return [t("verdict.need_two", lang)]
    cs = contrasts(per)
    lines = [sentence(c, lang) for c in cs]
    winners = [c for c in cs if c.significant and c.diff > 0]
    if winners:
        best = max(winners, key=lambda c: c.diff)
        lines.append(
            t("verdict.best", lang, method=method_label(best.method, lang), ref=method_label(best.reference, lang))
        )
    elif all(c.se is not None for c in cs):
        lines.append(t("verdict.none_better", lang, ref=method_label(cs[0].reference, lang)))
    if any(c.n < 3 for c in cs):
        lines.append(t("verdict.few_seeds", lang))
    return lines


# --- robustness: the same contrasts at every noise rate of a grid ---


def by_setting(runs: list[RunRecord]) -> dict[str, dict[float, list[RunRecord]]]:
    """Run records grouped as noise kind -> noise rate -> records (insertion order, rates sorted)."""
    out: dict[str, dict[float, list[RunRecord]]] = {}
    for r in runs:
        cfg = r.config
        kind = str(cfg.get("noise", "none"))
        out.setdefault(kind, {}).setdefault(float(cfg.get("noise_rate") or 0.0), []).append(r)
    return {k: dict(sorted(v.items())) for k, v in out.items()}


def _rates_text(rates: list[float], lang: str) -> str:
    words = [f"{r:.0%}" for r in rates]
    if len(words) == 1:
        return words[0]
    return t("verdict.robust.join", lang, head=t("verdict.robust.comma", lang).join(words[:-1]), last=words[-1])


def robustness(runs: list[RunRecord]) -> dict[str, dict[str, dict[float, Contrast]]]:
    """noise kind -> method -> rate -> contrast with the reference at that rate (final test accuracy)."""
    out: dict[str, dict[str, dict[float, Contrast]]] = {}
    for kind, rates in by_setting(runs).items():
        for rate, recs in rates.items():
            for c in contrasts(per_method_values(recs)):
                out.setdefault(kind, {}).setdefault(c.method, {})[rate] = c
    return out


def robustness_lines(runs: list[RunRecord], lang: str = "en") -> list[str]:
    """One sentence per method and noise kind across the grid's rates, e.g.
    'labo beat ce at 40% and 60%, tied at 20%.' (significance as in `contrast`)."""
    res = robustness(runs)
    lines = []
    for kind, methods in res.items():
        for method, per_rate in methods.items():
            outcome: dict[str, list[float]] = {}
            for rate, c in per_rate.items():
                word = "one_seed" if c.se is None else ("beat" if c.diff > 0 else "lost") if c.significant else "tie"
                outcome.setdefault(word, []).append(rate)
            ref = method_label(next(iter(per_rate.values())).reference, lang)
            parts = [
                t(f"verdict.robust.{w}", lang, ref=ref, rates=_rates_text(outcome[w], lang))
                for w in ("beat", "lost", "tie", "one_seed")
                if w in outcome
            ]
            where = f" ({kind})" if len(res) > 1 else ""
            lines.append(
                t(
                    "verdict.robust.line",
                    lang,
                    method=method_label(method, lang),
                    where=where,
                    parts=t("verdict.robust.comma", lang).join(parts),
                )
            )
    return lines
