"""Paper checks: the closed form's limits, the helpers, and every registered check end to end on tiny runs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.papers import runs as papers_runs
from core.papers.base import spearman
from core.papers.label_averaging import closed_form_accuracy
from core.registry import PAPERS


def _block(K=3, n=20, within=0.6, between=0.1, rate=0.3, seed=0):
    from core.data.gram_blocks import block_gram

    G = block_gram(K, n, within, between)
    w, V = np.linalg.eigh(G)
    X = V * np.sqrt(np.clip(w, 0, None))
    y = np.repeat(np.arange(K), n)
    rng = np.random.default_rng(seed)
    obs = y.copy()
    flip = rng.random(len(y)) < rate
    obs[flip] = (obs[flip] + 1) % K
    return X, y, obs, obs != y


def test_closed_form_keeps_labels_at_tiny_lambda_and_averages_them_at_large_lambda():
    X, y, obs, fl = _block()
    # lambda -> 0: M -> I, the teacher reproduces the noisy labels (no corrupted sample recovered).
    assert closed_form_accuracy(X, obs, y, fl, 3, 1e-9, 2) == [0.0, 0.0, 0.0]
    # Shrinkage: within-class directions die faster than class contrasts, so round by round every corrupted
    # sample takes its class's label ((r_b / r_w)^(t+1) passes the noise's threshold at t = 4 here).
    acc = closed_form_accuracy(X, obs, y, fl, 3, 1e-3, 6)
    assert acc[-1] == 1.0 and all(b >= a for a, b in zip(acc, acc[1:]))


def test_spearman():
    assert spearman([1, 2, 3, 4], [10, 20, 25, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))


@pytest.fixture
def tiny_runs(monkeypatch):
    """Every check's training shrunk to one epoch (the machinery, not the claim, is under test)."""
    real = papers_runs.make_config
    monkeypatch.setattr(papers_runs, "make_config", lambda values, sets: real({**values, "epochs": 1}, sets))


@pytest.mark.slow
def test_every_check_runs_and_reports_claim_prediction_measurement(tiny_runs, tmp_path, capsys):
    from core.cli import main

    assert set(PAPERS.names()) == {"label_averaging", "random_heads", "clid_mu", "labo", "drift"}
    assert main(["papers", "--quick", "--json", "--runs-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [c["name"] for c in data["checks"]] == PAPERS.names()
    for c in data["checks"]:
        assert c["claim"] and c["prediction"] and c["measurement"] and isinstance(c["held"], bool)
        assert c["seeds"] and c["quick"] is True and c["methods"]
        assert ("held" in c["measurement"]) and np.isfinite(c["seconds"])
    from core.papers.report import by_method, latest

    saved, where = latest(str(tmp_path))
    assert where == "local" and saved["checks"] == data["checks"]
    assert {"self_distill", "pll", "random_heads", "clid_mu", "labo", "drift"} <= set(by_method(saved))


def test_unknown_check_is_one_clear_line(tmp_path, capsys):
    from core.cli import main

    assert main(["papers", "--only", "nope", "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "label_averaging" in err
