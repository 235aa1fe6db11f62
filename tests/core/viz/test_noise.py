"""Noise-detection charts and the ranked suspicious list follow the probe's arrays exactly."""

from __future__ import annotations

import numpy as np
import pytest

from core.store.suspects import suspicious
from core.viz.noise import sample_history, sample_topk, transition_matrices


def test_transition_matrices_show_estimated_and_injected(run):
    a = run.reader.load_artifact("noise_detection")
    fig = transition_matrices(run)
    np.testing.assert_allclose(np.asarray(fig.data[0].z, float), a["T_estimated"])
    injected = run.reader.read_json("data.json")["noise"]["transition_matrix"]
    np.testing.assert_allclose(np.asarray(fig.data[1].z, float), injected)


def test_transition_matrices_without_truth_show_only_the_estimate(run, real_noise_copy):
    fig = transition_matrices(real_noise_copy(run))
    assert len(fig.data) == 1


def test_suspicious_ranks_by_the_probe_score_and_agrees_with_its_top_list(run):
    a = run.reader.load_artifact("noise_detection")
    ranked = suspicious(run)
    names = [str(n) for n in a["score_names"]]
    score = a["scores"][names.index(str(a["rank_by"]))]
    assert np.all(np.diff(ranked["score"]) <= 0)
    pos = {int(i): p for p, i in enumerate(a["idx"])}
    for i, s, o, p in zip(
        ranked["index"][:10], ranked["score"][:10], ranked["observed"][:10], ranked["predicted"][:10]
    ):
        assert score[pos[int(i)]] == pytest.approx(s)
        assert a["y_obs"][pos[int(i)]] == o and a["pred"][pos[int(i)]] == p
    np.testing.assert_allclose(ranked["score"][: len(a["top_score"])], a["top_score"], rtol=1e-6)


def test_sample_topk_and_history_follow_the_sample(run):
    ranked = suspicious(run)
    index = int(ranked["index"][3])
    a = run.reader.load_artifact("noise_detection")
    p = a["cleanlab_pred_probs"][list(a["idx"]).index(index)]
    fig = sample_topk(run, index=index, k=3)
    np.testing.assert_allclose(fig.data[0].y, np.sort(p)[::-1][:3], rtol=1e-6)
    hist = sample_history(run, index=index)
    epochs = run.reader.artifact_epochs("noise_detection")
    np.testing.assert_array_equal(hist.data[0].x, epochs)
    for ep, y in zip(epochs, hist.data[0].y):
        b = run.reader.load_artifact("noise_detection", ep)
        names = [str(n) for n in b["score_names"]]
        assert b["scores"][names.index(str(b["rank_by"])), list(b["idx"]).index(index)] == pytest.approx(y)


def test_transition_matrices_name_every_class_on_both_axes(run):
    fig = transition_matrices(run)
    k = len(fig.data[0].z)
    for ax in (fig.layout.xaxis, fig.layout.yaxis, fig.layout.xaxis2, fig.layout.yaxis2):
        assert ax.tickmode == "array" and len(ax.tickvals) == k  # layout()'s nticks would drop every other class
