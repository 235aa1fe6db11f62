"""AUROC and precision@k on hand-made cases; cleanlab's estimated matrix on a clear-cut synthetic problem."""

import numpy as np
import pytest
import torch

from core.outputs import CLASS, SCORE, WEIGHT, PerSample
from core.probes.noise_detection import (
    NoiseDetection,
    auroc,
    cleanlab_detect,
    cross_val_probs,
    lda_probs,
    method_scores,
    model_scores,
    precision_recall_at_k,
    stratified_folds,
)


def test_auroc_hand_made():
    pos = np.array([True, True, False, False, False])
    assert auroc(np.array([0.9, 0.8, 0.1, 0.2, 0.3]), pos) == 1.0
    assert auroc(np.array([0.1, 0.2, 0.9, 0.8, 0.3]), pos) == 0.0
    # pairs (pos, neg): 0.9 beats all 3; 0.25 beats 0.1, 0.2 and loses to 0.3 -> 5/6
    assert auroc(np.array([0.9, 0.25, 0.1, 0.2, 0.3]), pos) == pytest.approx(5 / 6)
    # ties count 1/2: (1 vs 1) 0.5, (1 vs 0) 2 wins, (0 vs 1) 0, (0 vs 0) 2 x 0.5 -> 3.5/6
    assert auroc(np.array([1.0, 0.0, 1.0, 0.0, 0.0]), pos) == pytest.approx(3.5 / 6)
    assert np.isnan(auroc(np.ones(3), np.zeros(3, bool)))
    # a NaN score is left out
    assert auroc(np.array([0.9, np.nan, 0.1]), np.array([True, True, False])) == 1.0


def test_auroc_ties_half():
    assert auroc(np.zeros(4), np.array([True, False, True, False])) == 0.5


def test_precision_recall_at_k():
    pos = np.array([True, False, True, False, False])
    p, r = precision_recall_at_k(np.array([0.9, 0.8, 0.1, 0.2, np.nan]), pos, 2)
    assert (p, r) == (0.5, 0.5)


def test_model_and_method_scores_orientation():
    logits = torch.tensor([[5.0, 0.0], [0.0, 5.0]])
    s = model_scores(logits, np.array([0, 0]))
    assert s["model_loss"][1] > s["model_loss"][0] and s["model_margin"][1] > 0 > s["model_margin"][0]
    lab = {"en": "x", "ja": "x"}
    meaning = {
        "clid_weight": PerSample("clid_weight", WEIGHT, lab),
        "empty": PerSample("empty", SCORE, lab),
        "guess": PerSample("guess", CLASS, lab, metric="train/guess_acc"),
        "low": PerSample("low", SCORE, lab, high_is_suspicious=False),
        "high": PerSample("high", SCORE, lab),
    }
    values = {
        "clid_weight": np.array([0.9, 0.1, np.nan]),
        "empty": np.full(3, np.nan),
        "guess": np.array([2.0, 1.0, 0.0]),
        "low": np.array([3.0, 1.0, 0.0]),
        "high": np.array([1.0, 3.0, 0.0]),
        "undeclared": np.ones(3),
    }
    m = method_scores(values, meaning, np.array([0, 1]))
    # Only declared suspicion values count, turned so that higher = more suspicious; names play no part.
    assert sorted(m) == ["method_clid_weight", "method_high", "method_low"]
    for k in m:
        assert m[k][1] > m[k][0], k


def test_lda_matches_scikit_learn():
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    rng = np.random.default_rng(3)
    X = rng.normal(size=(90, 6)) + np.repeat(np.eye(3, 6) * 2, 30, axis=0)
    y = np.repeat(np.arange(3), 30)
    cfg = NoiseDetection.Config(shrinkage=0.25)
    ours = lda_probs(X[::2], y[::2], X[1::2], 4, cfg)  # class 3 absent: probability 0
    ref = LinearDiscriminantAnalysis(solver="lsqr", shrinkage=0.25).fit(X[::2], y[::2]).predict_proba(X[1::2])
    np.testing.assert_allclose(ours[:, :3], ref, atol=1e-10)
    assert np.all(ours[:, 3] == 0)


def test_stratified_folds_balance_classes():
    y = np.repeat([0, 1], [30, 9])
    f = stratified_folds(y, 3, seed=0)
    assert [np.bincount(f[y == c]).tolist() for c in (0, 1)] == [[10, 10, 10], [3, 3, 3]]


@pytest.mark.parametrize("classifier", ["lda", "logreg"])
def test_cleanlab_finds_flips_and_matrix(classifier):
    rng = np.random.default_rng(0)
    K, n = 3, 120
    y = np.repeat(np.arange(K), n)
    X = rng.normal(size=(K * n, 5)) * 0.3 + np.eye(K, 5)[y] * 3
    obs = y.copy()
    flip = rng.random(len(y)) < 0.2
    obs[flip] = (obs[flip] + 1) % K  # pairflip: T[a, a+1] = 0.2
    probs = cross_val_probs(X, obs, K, 3, NoiseDetection.Config(classifier=classifier, max_iter=100), seed=0)
    np.testing.assert_allclose(probs.sum(1), 1.0)
    cl = cleanlab_detect(probs, obs)
    assert auroc(cl["score"], obs != y) > 0.95
    assert cl["T"][0, 1] == pytest.approx(0.2, abs=0.08) and cl["T"][0, 2] < 0.05
    np.testing.assert_allclose(cl["T"].sum(1), 1.0, atol=1e-6)
