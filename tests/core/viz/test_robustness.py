"""The robustness curve draws the stored final/best accuracies per noise rate (mean over seeds), a panel per kind."""

import numpy as np
import pytest

from core.store.run_data import load_run
from core.store.writer import RunWriter
from core.verdict import robustness_lines
from core.viz.robustness import robustness_curve, spans_rates
from core.viz.style import method_colour, method_name


def _store(tmp_path, kinds=("symmetric",)):
    """Runs with known summaries: acc = base - rate/2 (+0.1 for labo at rates >= 0.4) + 0.01 * seed."""
    ids, want = [], {}
    for kind in kinds:
        for rate in (0.2, 0.4, 0.6):
            for method in ("ce", "labo"):
                for seed in (0, 1, 2):
                    acc = 0.9 - rate / 2 + (0.1 if method == "labo" and rate >= 0.4 else 0.0) + 0.01 * seed
                    rid = f"{kind}-{rate}-{method}-{seed}"
                    w = RunWriter(
                        str(tmp_path), rid, {"method": method, "seed": seed, "noise": kind, "noise_rate": rate}
                    )
                    w.write_summary({"state": "completed", "test_acc_final": acc, "test_acc_best": acc + 0.02})
                    w.set_status("completed")
                    ids.append(rid)
                    want.setdefault((kind, method), {}).setdefault(rate, []).append(acc)
    # A failed run must not move the curve.
    w = RunWriter(str(tmp_path), "failed", {"method": "ce", "seed": 9, "noise": kinds[0], "noise_rate": 0.2})
    w.write_summary({"state": "failed", "test_acc_final": 0.0})
    return [load_run(str(tmp_path), r) for r in ids + ["failed"]], want


def test_the_curve_plots_the_stored_numbers(tmp_path):
    runs, want = _store(tmp_path)
    fig = robustness_curve(runs)
    traces = {tr.name: tr for tr in fig.data}
    for method in ("ce", "labo"):
        words = method_name(method)  # the legend says what the Set up page says; the hover keeps the id
        final = traces[f"{words} · final"]
        assert method in final.hovertemplate
        per_rate = want[("symmetric", method)]
        np.testing.assert_allclose(final.x, sorted(per_rate))
        np.testing.assert_allclose(final.y, [np.mean(per_rate[r]) for r in sorted(per_rate)])
        np.testing.assert_allclose(traces[f"{words} · best"].y, [np.mean(per_rate[r]) + 0.02 for r in sorted(per_rate)])
        band = traces[f"{words} · final ± std"]
        std = np.array([np.std(per_rate[r], ddof=1) for r in sorted(per_rate)])
        np.testing.assert_allclose(band.y[:3], final.y + std)
        seeds = traces[f"{words} · seeds"]
        assert sorted(seeds.y) == pytest.approx(sorted(v for vals in per_rate.values() for v in vals))
        assert final.line.color == method_colour(method)
    assert spans_rates(runs)


def test_one_panel_per_noise_kind_with_one_colour_per_method(tmp_path):
    runs, _ = _store(tmp_path, kinds=("symmetric", "pairflip"))
    fig = robustness_curve(runs, lang="ja")
    finals = [tr for tr in fig.data if tr.legendgroup == "labo" and tr.mode == "lines+markers"]
    assert finals and all(tr.name.startswith(method_name("labo", "ja")) for tr in finals)
    assert {tr.xaxis for tr in fig.data} == {"x", "x2"}
    assert {tr.line.color for tr in finals} == {method_colour("labo")}
    assert [a.text for a in fig.layout.annotations] == ["対称", "ペア反転"]  # the kinds in words, in Japanese too


def test_the_verdict_names_the_rates_where_a_method_wins(tmp_path):
    runs, _ = _store(tmp_path)
    records = [r.record() for r in runs]
    assert robustness_lines(records) == [
        "LaBo (per-sample smoothing) (labo): beat plain training (ce) at 40% and 60%, tied with plain training (ce) at 20%."
    ]
    assert robustness_lines(records, "ja") == [
        "LaBo（サンプルごとの平滑化） (labo)：40%と60%で通常の学習 (ce)を上回った、20%で通常の学習 (ce)と差がなかった。"
    ]
