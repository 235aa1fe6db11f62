"""Honest detection: log-odds resolution, label-free PCA inputs, and flags that survive a memorizing model."""

from __future__ import annotations

import numpy as np
import pytest

from core.detection.out_of_sample import SOURCES, detect, input_features, log_odds_suspicion
from core.probes.noise_detection import auroc


def test_log_odds_ranks_where_one_minus_p_ties():
    # p_y from 1e-12 to 1e-7: 1 - p_y shown to 6 decimals ties at 1.000000; the log-odds keep them apart.
    p_y = np.array([1e-12, 1e-10, 1e-9, 1e-7, 0.5, 0.999])
    logp = np.log(np.stack([p_y, 1 - p_y], 1))
    s = log_odds_suspicion(logp, np.zeros(6, np.int64))
    assert np.all(np.diff(s) < 0)  # strictly falling in p_y
    np.testing.assert_allclose(s, np.log((1 - p_y) / p_y), rtol=1e-9)
    assert len(np.unique(np.round(1 - p_y[:4], 6))) == 1  # what the old display showed
    assert np.isfinite(log_odds_suspicion(np.array([[0.0, -np.inf]]), np.array([1]))).all()


def test_input_features_are_label_free_and_reduced():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3, 10, 10))
    F = input_features(X, max_dim=16, seed=0)
    assert F.shape == (300, 16)
    np.testing.assert_allclose(F.mean(0), 0, atol=1e-9)
    np.testing.assert_allclose(F.std(0), 1, atol=1e-9)
    assert "inputs" in SOURCES


def _memorized_run(tmp_path):
    from core.engine.run_config import make_config
    from core.engine.trainer import Trainer

    cfg = make_config(
        {
            "dataset": "blobs",
            "noise": "symmetric",
            "noise_rate": 0.4,
            "method": "ce",
            "model": "mlp",
            "epochs": 150,
            "seed": 0,
            "lr": 0.01,
            "weight_decay": 0.0,
            "schedule": "constant",
            "batch_size": 64,
            "threads": 1,
            "probes": ["noise_detection"],
            "probe_every": 150,
            "dataset_options": {"n_samples": 400, "n_features": 16, "cluster_std": 2.0},
            "model_options": {"width": 512},
        },
        [],
    )
    t = Trainer(cfg, str(tmp_path))
    return t, t.run()


@pytest.mark.slow
def test_memorized_model_still_flags_the_flips(tmp_path):
    t, s = _memorized_run(tmp_path)
    assert s["state"] == "completed", s.get("error")
    assert s["train_acc_observed_final"] >= 0.99  # the model memorized its noisy labels
    # Its own loss no longer separates the flips; the out-of-sample detector still does.
    assert s["noise_auroc_source"] == "inputs"
    assert s["noise_auroc"] >= 0.95 and s["noise_flagged_recall"] >= 0.8
    assert s["noise_auroc"] > s["noise_auroc_model_loss"]
    # The probe's ranked list comes from the same honest source, with untied scores.
    from core.store.reader import RunReader

    art = RunReader(str(tmp_path / t.run_id)).load_artifact("noise_detection")
    assert str(art["source"]) == "inputs"
    names = [str(n) for n in art["score_names"]]
    cl = np.asarray(art["scores"][names.index("cleanlab")], float)
    assert auroc(cl, art["flipped"]) >= 0.95
    top = np.sort(cl)[::-1][: int(art["flipped"].sum())]
    assert len(np.unique(top)) > 0.9 * len(top)  # ranks, no ties at the top


def test_detect_flags_flips_on_separable_inputs():
    rng = np.random.default_rng(1)
    K, n = 4, 80
    y = np.repeat(np.arange(K), n)
    X = rng.normal(size=(K * n, 8)) * 0.5 + np.eye(K, 8)[y] * 3
    obs = y.copy()
    flip = rng.random(len(y)) < 0.3
    obs[flip] = (obs[flip] + rng.integers(1, K, flip.sum())) % K
    det = detect(X, obs, K, seed=0)
    assert det.source == "inputs" and det.score.shape == (K * n,) and det.probs.shape == (K * n, K)
    assert auroc(det.score, obs != y) > 0.97
    assert det.issues[obs != y].mean() > 0.8
