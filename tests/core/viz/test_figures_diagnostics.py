"""Diagnostics charts plot exactly the numbers of the probe artifacts and metrics of a tiny real comparison."""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from core.viz import figures as F


@pytest.fixture(scope="module")
def runs(tiny_suite):
    return [F.load_run(tiny_suite["runs_dir"], rid) for rid in tiny_suite["run_ids"]]


@pytest.fixture
def run(runs):
    return runs[0]


def _real_noise_copy(run: F.RunData, tmp_path) -> F.RunData:
    """A copy of `run` marked as real-noise data (truth unknown), as a user file without a clean column gives."""
    dst = tmp_path / run.run_id
    shutil.copytree(run.reader.dir, dst)
    data = json.loads((dst / "data.json").read_text())
    data["noise"] = {"kind": "none", "rate": 0.0, "truth_known": False}
    (dst / "data.json").write_text(json.dumps(data))
    return F.load_run(str(tmp_path), run.run_id)


def test_every_diagnostics_chart_is_registered_with_its_scope():
    for cid, scope in [("gram_spectrum", "run"), ("gram_rounds", "run"), ("rlp_heads", "suite"),
                       ("smoothing_hist", "run"), ("layer_divergence", "run"), ("embedding", "run"),
                       ("drift_teacher", "run"), ("transition_matrices", "run"), ("sample_topk", "run"),
                       ("sample_history", "run")]:
        assert F.CHARTS[cid]["scope"] == scope


def test_gram_spectrum_plots_the_spectrum_and_shrink_powers(run):
    a = run.reader.load_artifact("gram")
    fig = F.gram_spectrum(run)
    sigma = a["spectrum"][a["spectrum"] > a["spectrum"].max() * F.RANK_TOL]
    np.testing.assert_allclose(fig.data[0].y, sigma)
    kept = fig.data[1:]
    assert len(kept) == len(a["acc_observed"])
    for t_, tr in enumerate(kept):
        np.testing.assert_allclose(tr.y, a["shrink"][: len(sigma)] ** (t_ + 1))
        assert tr.yaxis == "y2"


def test_gram_rounds_plots_clean_and_flipped_accuracy(run):
    epochs = run.reader.artifact_epochs("gram")
    a = run.reader.load_artifact("gram", epochs[0])
    fig = F.gram_rounds(run, epoch=epochs[0])
    np.testing.assert_allclose(fig.data[0].y, a["acc_clean"])
    np.testing.assert_allclose(fig.data[1].y, a["acc_flipped"])
    np.testing.assert_array_equal(fig.data[0].x, np.arange(len(a["acc_clean"])))


def test_rlp_heads_plots_each_run_and_the_chance_line(runs):
    fig = F.rlp_heads(runs)
    assert len(fig.data) == len(runs)
    for r, tr in zip(runs, fig.data):
        x, y = F.series(r, "rlp/acc_train")
        np.testing.assert_allclose(tr.y, y)
        np.testing.assert_array_equal(tr.x, x)
    from core.registry import MONITORS

    chance = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert chance and chance[0].y0 == pytest.approx(1.0 / MONITORS.get("rlp").Config().classes)


def test_smoothing_hist_uses_the_probe_histograms_and_auroc(run):
    a = run.reader.load_artifact("smoothing")
    fig = F.smoothing_hist(run)
    np.testing.assert_array_equal(fig.data[0].y, a["hist_clean"][0])
    np.testing.assert_array_equal(fig.data[1].y, a["hist_flipped"][0])
    edges = a["hist_edges"][0]
    np.testing.assert_allclose(fig.data[0].x, (edges[:-1] + edges[1:]) / 2)
    assert f"{a['auroc'][0]:.2f}" in fig.layout.title.text


def test_smoothing_hist_without_truth_shows_all_samples_only(run, tmp_path):
    real = _real_noise_copy(run, tmp_path)
    a = real.reader.load_artifact("smoothing")
    fig = F.smoothing_hist(real)
    assert len(fig.data) == 1
    np.testing.assert_array_equal(fig.data[0].y, a["hist_clean"][0] + a["hist_flipped"][0])
    assert "AUROC" not in fig.layout.title.text


def test_layer_divergence_plots_clid_against_test_accuracy(run):
    fig = F.layer_divergence(run)
    by_name = {tr.name: tr for tr in fig.data}
    x, y = F.series(run, "probe/layer_divergence/clid")
    assert len(y) > 0
    np.testing.assert_allclose(by_name["clid"].y, y)
    xt, yt = F.series(run, "test/acc")
    acc = [tr for tr in fig.data if tr.yaxis == "y2"]
    assert len(acc) == 1
    np.testing.assert_allclose(acc[0].y, yt)


def test_embedding_map_plots_every_pca_point_and_marks_flips(run):
    a = run.reader.load_artifact("embedding")
    fig = F.embedding_map(run)
    pts = {(round(float(x), 5), round(float(y), 5)) for tr in fig.data for x, y in zip(tr.x, tr.y)}
    want = {(round(float(x), 5), round(float(y), 5)) for x, y in a["pca"]}
    assert pts == want
    crosses = sum(len(tr.x) for tr in fig.data if tr.marker.symbol == "x")
    assert crosses == int(a["flipped"].sum()) > 0


def test_transition_matrices_show_estimated_and_injected(run):
    a = run.reader.load_artifact("noise_detection")
    fig = F.transition_matrices(run)
    np.testing.assert_allclose(np.asarray(fig.data[0].z, float), a["T_estimated"])
    injected = run.reader.read_json("data.json")["noise"]["transition_matrix"]
    np.testing.assert_allclose(np.asarray(fig.data[1].z, float), injected)


def test_transition_matrices_without_truth_show_only_the_estimate(run, tmp_path):
    fig = F.transition_matrices(_real_noise_copy(run, tmp_path))
    assert len(fig.data) == 1


def test_suspicious_ranks_by_the_probe_score_and_agrees_with_its_top_list(run):
    a = run.reader.load_artifact("noise_detection")
    ranked = F.suspicious(run)
    names = [str(n) for n in a["score_names"]]
    score = a["scores"][names.index(str(a["rank_by"]))]
    assert np.all(np.diff(ranked["score"]) <= 0)
    pos = {int(i): p for p, i in enumerate(a["idx"])}
    for i, s, o, p in zip(ranked["index"][:10], ranked["score"][:10], ranked["observed"][:10], ranked["predicted"][:10]):
        assert score[pos[int(i)]] == pytest.approx(s)
        assert a["y_obs"][pos[int(i)]] == o and a["pred"][pos[int(i)]] == p
    np.testing.assert_allclose(ranked["score"][: len(a["top_score"])], a["top_score"], rtol=1e-6)


def test_sample_topk_and_history_follow_the_sample(run):
    ranked = F.suspicious(run)
    index = int(ranked["index"][3])
    a = run.reader.load_artifact("noise_detection")
    p = a["cleanlab_pred_probs"][list(a["idx"]).index(index)]
    fig = F.sample_topk(run, index=index, k=3)
    np.testing.assert_allclose(fig.data[0].y, np.sort(p)[::-1][:3], rtol=1e-6)
    hist = F.sample_history(run, index=index)
    epochs = run.reader.artifact_epochs("noise_detection")
    np.testing.assert_array_equal(hist.data[0].x, epochs)
    for ep, y in zip(epochs, hist.data[0].y):
        b = run.reader.load_artifact("noise_detection", ep)
        names = [str(n) for n in b["score_names"]]
        assert b["scores"][names.index(str(b["rank_by"])), list(b["idx"]).index(index)] == pytest.approx(y)


def test_drift_teacher_plots_every_method_scalar(run, tmp_path):
    dst = tmp_path / "drift-run"
    shutil.copytree(run.reader.dir, dst)
    rows = [json.loads(line) for line in (dst / "metrics.jsonl").read_text().splitlines()]
    rng = np.random.default_rng(0)
    for r in rows:
        r.update({"method/flip_rate": float(rng.random()), "method/weight_mean": float(rng.random())})
    (dst / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    drift = F.load_run(str(tmp_path), "drift-run")
    fig = F.drift_teacher(drift)
    by_name = {tr.name: tr for tr in fig.data}
    np.testing.assert_allclose(by_name["flip_rate"].y, [r["method/flip_rate"] for r in rows])
    np.testing.assert_allclose(by_name["weight_mean"].y, [r["method/weight_mean"] for r in rows])


def test_charts_without_artifacts_say_no_data(tmp_path, run):
    os.makedirs(tmp_path / "empty")
    shutil.copy(os.path.join(run.reader.dir, "config.json"), tmp_path / "empty" / "config.json")
    empty = F.load_run(str(tmp_path), "empty")
    for fn in (F.gram_spectrum, F.gram_rounds, F.smoothing_hist, F.embedding_map, F.transition_matrices,
               F.sample_topk, F.sample_history, F.layer_divergence, F.drift_teacher):
        fig = fn(empty, "ja")
        assert not fig.data and fig.layout.annotations[0].text == F.t("chart.no_data", "ja")
