"""The verdict's statistics agree with textbook t-tests, and its sentences stay honest about ties and seeds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from core.i18n import t
from core.store.record import RunRecord
from core.verdict import contrast, contrasts, per_method_values, sentence, verdict


def _rec(method, seed, acc, state="completed"):
    return RunRecord(f"{method}-{seed}", {"method": method, "seed": seed}, {"state": state, "test_acc_final": acc})


@pytest.mark.parametrize("seed", range(5))
def test_paired_threshold_matches_paired_t_test(seed):
    rng = np.random.default_rng(seed)
    ref = rng.uniform(0.7, 0.9, 4)
    other = ref + rng.normal(0.01 * seed, 0.01, 4)
    c = contrast("m", dict(enumerate(other)), "ce", dict(enumerate(ref)))
    res = stats.ttest_rel(other, ref)
    assert c.paired and c.n == 4
    assert c.diff == pytest.approx((other - ref).mean() * 100)
    assert c.significant == (res.pvalue < 0.05)
    # |diff| / se is the paired t statistic
    assert c.diff / c.se == pytest.approx(res.statistic)


def test_unpaired_uses_welch():
    a = {0: 0.80, 1: 0.82, 2: 0.81}
    b = {5: 0.70, 6: 0.74, 7: 0.69, 8: 0.71}
    c = contrast("m", a, "ce", b)
    res = stats.ttest_ind(list(a.values()), list(b.values()), equal_var=False)
    assert not c.paired
    assert c.diff / c.se == pytest.approx(res.statistic)
    assert c.significant == (res.pvalue < 0.05)


def test_one_seed_has_no_spread_and_is_never_significant():
    c = contrast("m", {0: 0.9}, "ce", {0: 0.5})
    assert c.se is None and not c.significant
    assert "single seed" in sentence(c, "en")


def test_reference_is_ce_when_present_else_first():
    per = {"labo": {0: 0.8, 1: 0.81}, "ce": {0: 0.7, 1: 0.72}, "ls": {0: 0.7, 1: 0.71}}
    assert {c.reference for c in contrasts(per)} == {"ce"}
    assert [c.method for c in contrasts(per)] == ["labo", "ls"]
    per.pop("ce")
    assert {c.reference for c in contrasts(per)} == {"labo"}


def test_verdict_words_follow_the_numbers():
    clear = [_rec("ce", s, 0.70 + 0.001 * s) for s in range(3)] + [_rec("labo", s, 0.75 + 0.001 * s) for s in range(3)]
    lines = verdict(clear, "en")
    assert lines[0].startswith(
        "LaBo (per-sample smoothing) (labo) beat plain training (ce) by 5.0 points of test accuracy (± 0.0 standard error"
    )
    assert any("Best here: LaBo (per-sample smoothing) (labo)" in line for line in lines)
    noisy = [_rec("ce", s, v) for s, v in enumerate([0.70, 0.78, 0.74])] + [
        _rec("labo", s, v) for s, v in enumerate([0.73, 0.72, 0.79])
    ]
    lines = verdict(noisy, "en")
    assert "not significant with" in lines[0] and "+0.7 points (± " in lines[0] and "p = " in lines[0]
    assert any("No method clearly beat plain training (ce)" in line for line in lines)


def test_unfinished_runs_are_ignored_and_two_seeds_are_flagged():
    recs = [
        _rec("ce", 0, 0.7),
        _rec("ce", 1, 0.71),
        _rec("ls", 0, 0.72),
        _rec("ls", 1, 0.73),
        _rec("ls", 2, 0.99, state="running"),
    ]
    assert per_method_values(recs)["ls"] == {0: 0.72, 1: 0.73}
    assert verdict(recs, "en")[-1] == t("verdict.few_seeds", "en")
    assert verdict(recs[:2], "en") == [t("verdict.need_two", "en")]


def test_japanese_verdict():
    recs = [_rec("ce", s, 0.70 + 0.001 * s) for s in range(3)] + [_rec("labo", s, 0.75 + 0.001 * s) for s in range(3)]
    ja = verdict(recs, "ja")
    assert "labo" in ja[0] and "ポイント" in ja[0]
    assert ja != verdict(recs, "en")


def test_consistent_gap_on_three_seeds_is_called_not_significant_with_its_p_value():
    # +1.3 points ahead on 3 of 3 seeds, yet the paired t-test gives p > 0.05: say so, with the numbers.
    ref = {0: 0.850, 1: 0.860, 2: 0.870}
    other = {0: 0.855, 1: 0.866, 2: 0.898}
    c = contrast("ls", other, "ce", ref)
    res = stats.ttest_rel(np.array(list(other.values())), np.array(list(ref.values())))
    assert c.p == pytest.approx(res.pvalue) and not c.significant and c.ahead == 3
    text = sentence(c, "en")
    assert "same sign on 3 of 3 seeds" in text and f"p = {res.pvalue:.2f}" in text and "standard error" in text


def test_identical_differences_on_every_seed_read_as_a_tiny_p_not_p_equals_zero():
    c = contrast("labo", {0: 0.91, 1: 0.81, 2: 0.71}, "ce", {0: 0.90, 1: 0.80, 2: 0.70})
    assert c.se == pytest.approx(0.0, abs=1e-9) and c.significant
    for lang in ("en", "ja"):
        s = sentence(c, lang)
        assert "p < 0.001" in s and "p = 0." not in s and "p = 0）" not in s, s
