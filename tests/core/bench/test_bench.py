"""Smoke test of the bench harness on a tiny setting: structure and sane ratios, not timings."""

from __future__ import annotations

import argparse
import json
import math

import numpy as np
import pytest

import core.bench as bench
from core.bench import gram_svd
from core.bench.common import BenchSettings, PeakMemory, growth_exponent, paired_ratio
from core.errors import UserError

pytestmark = pytest.mark.slow  # runs every benchmark on a tiny setting (about a minute)

TINY = BenchSettings(
    quick=True,
    device="cpu",
    repeats=1,
    epochs=2,
    probe_epochs=2,
    probe_repeats=1,
    gram_ns=(40, 80, 160),
    gram_dims=(16,),
    gram_dense_max=80,
    gram_repeats=1,
    method_model="mlp",
    methods=("ce", "label_smoothing", "ce+rlp"),
    demo={"methods": ["ce"], "seeds": [0], "epochs": 1},
    live_busy=(0,),
    live_cold=False,
    ray_grid={"methods": ["ce"], "seeds": [0], "rates": [0.2], "epochs": 1},
    image_models={"epochs": 1, "models": ["cnn_small"], "dataset": "digits", "cifar": False},
    frozen={
        "n": 16,
        "sides": [16],
        "epochs": 1,
        "seeds": [0],
        "methods": ["ce"],
        "dataset": "digits",
        "image_size": 16,
        "tiny": True,
    },
)


def _positive_finite(x) -> bool:
    return isinstance(x, float) and math.isfinite(x) and x > 0


@pytest.fixture(scope="module")
def result():
    return bench.run_all(TINY)


def test_every_benchmark_ran(result):
    assert result["errors"] == {}
    assert set(result["results"]) == set(bench.BENCHMARKS)


def test_ratios_are_positive_finite(result):
    ratios = result["ratios"]
    assert {"engine/mlp/digits", "engine/cnn_small/digits", "method/ce", "method/label_smoothing"} <= set(ratios)
    for key, v in ratios.items():
        if key.startswith("probe/") and v is None:  # a probe that raised has no time
            continue
        if key.startswith("gram/exponent/"):  # a fitted slope, not a ratio: at tiny N it may be anything finite
            assert math.isfinite(v), (key, v)
            continue
        assert _positive_finite(v), (key, v)
    assert ratios["method/ce"] == 1.0


def test_engine_rows(result):
    rows = result["results"]["engine"]["rows"]
    assert [(r["model"], r["dataset"]) for r in rows] == list(bench.engine_overhead.CASES)
    for r in rows:
        assert _positive_finite(r["engine_epoch_s"]) and _positive_finite(r["plain_epoch_s"])
        assert r["met"] == (r["ratio"] <= r["target"])


def test_method_rows_follow_the_selection_and_targets(result):
    res = result["results"]["methods"]
    rows = {r["method"]: r for r in res["rows"]}
    assert set(rows) | set(res["skipped"]) == {"ce", "label_smoothing", "ce+rlp"}
    ls = rows["label_smoothing"]
    assert ls["target"] == 1.15 and ls["met"] == (ls["ratio"] <= 1.15)
    assert rows["ce"]["target"] is None and rows["ce"]["stages"] == 1
    assert all(r["peak_mem_mib"] is None or r["peak_mem_mib"] >= 0 for r in rows.values())


def test_probe_and_demo_sections(result):
    pr = result["results"]["probes"]
    if pr["rows"]:
        assert 0 < pr["share"] and pr["met"] == (pr["share"] <= pr["target"])
        assert all(r["calls"] >= 1 or r["error"] for r in pr["rows"])
    demo = result["results"]["demo"]
    assert demo["runs"] == 1 and demo["completed"] == 1 and demo["wall_s"] > 0


def test_gram_rows_measured_and_extrapolated(result):
    g = result["results"]["gram"]
    by_n = {r["N"]: r for r in g["rows"]}
    assert not by_n[80]["dense_extrapolated"] and by_n[160]["dense_extrapolated"]
    assert by_n[40]["max_abs_diff"] < 1e-6 and by_n[80]["max_abs_diff"] < 1e-6  # same eigenstructure
    # Beyond the measured size the dense time is the N^3 extrapolation of the largest measured one.
    assert by_n[160]["dense_s"] == pytest.approx(by_n[80]["dense_s"] * 8)
    assert math.isfinite(g["exponents"]["svd_D16"]) and math.isfinite(g["exponents"]["dense_D16"])


def test_first_live_point_is_measured_through_the_warm_launcher(result):
    rows = result["results"]["live"]["rows"]
    assert [(r["launcher"], r["busy_processes"]) for r in rows] == [("warm", 0)]
    assert _positive_finite(rows[0]["first_point_s"]) and rows[0]["first_running_s"] <= rows[0]["first_point_s"]
    assert "live/first_point_s/warm/busy0" in result["ratios"]


def test_table_names_every_section(result):
    text = bench.format_report(result)
    for title, _ in bench.report.SECTIONS.values():
        assert title in text


def test_gram_routes_agree_when_rank_deficient():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 8))  # N > D: the dense Gram has 32 zero eigenvalues
    y = rng.integers(0, gram_svd.K, 40)
    s_sig, s_p = gram_svd.svd_route(X, y)
    d_sig, d_p = gram_svd.dense_route(X, y)
    np.testing.assert_allclose(s_sig, d_sig[:8], rtol=1e-9)
    np.testing.assert_allclose(s_p, d_p, atol=1e-9)


def test_helpers():
    ns = [1000, 2000, 4000]
    assert growth_exponent(ns, [3e-9 * n**2 for n in ns]) == pytest.approx(2.0)
    assert growth_exponent([1000], [1.0]) is None
    assert paired_ratio([2.0, 3.0, 10.0], [1.0, 1.0, 1.0]) == 3.0
    import torch

    with PeakMemory(torch.device("cpu")) as m:
        buf = np.ones(8 * 2**20 // 8)  # 8 MiB, touched
        buf.sum()
    assert m.mib is None or m.mib >= 0


def test_main_prints_one_json_object(monkeypatch, capsys):
    monkeypatch.setattr(bench, "settings_for", lambda quick, device: TINY)
    rc = bench.main(argparse.Namespace(quick=True, json=True, device="cpu", only="gram"))
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and set(out["results"]) == {"gram"} and "ratios" in out


def test_bad_device_is_one_clear_error():
    with pytest.raises(UserError, match="valid choices"):
        bench.main(argparse.Namespace(quick=True, json=False, device="tpu"))


def test_ratio_stats_report_both_clocks_and_their_spread():
    from core.bench.common import ratio_spread, ratio_stats

    assert ratio_spread([1.0, 1.1, 0.9], [1.0, 1.0, 1.0]) == pytest.approx(0.1)
    assert math.isnan(ratio_spread([1.0], [1.0]))  # one repeat has no spread
    st = ratio_stats({"cpu": [2.0, 2.2], "wall": [3.0, 1.0]}, {"cpu": [1.0, 1.0], "wall": [1.0, 1.0]})
    assert st["clock"] == "cpu" and st["ratio"] == st["ratio_cpu"] == pytest.approx(2.1)
    assert st["spread"] == pytest.approx(0.1 / 2.1) and st["ratio_wall"] == 2.0 and st["spread_wall"] == 0.5


def test_every_timed_ratio_prints_its_spread_and_the_wall_clock(result):
    text = bench.format_report(result)
    for x in result["results"]["engine"]["rows"] + result["results"]["methods"]["rows"]:
        assert "ratio_wall" in x and "spread" in x
    assert "(wall " in text and "CPU time" in text
    assert set(result["spreads"]) <= set(result["ratios"])
