"""Underfit check: a still-climbing run (train and validation up) is flagged with advice; a memorizing run
(train up, validation down) and a converged run are not; the CLI prints the one-line warning."""

from __future__ import annotations

from core import cli
from core.engine.underfit import underfit_check, underfit_text


def _hist(train, val):
    return [
        {"epoch": i + 1, "stage": 0, "train/acc_observed": a, "val/acc": v} for i, (a, v) in enumerate(zip(train, val))
    ]


def test_still_climbing_is_flagged_with_advice():
    u = underfit_check(_hist([0.2, 0.4, 0.5, 0.6, 0.7], [0.2, 0.35, 0.45, 0.5, 0.56]))
    assert u and u["advice_epochs"] == 10 and abs(u["train_gain"] - 0.1) < 1e-9
    text = underfit_text(u, "cnn_small")
    assert "10 epochs" in text and "cnn_small" in text and "\n" not in text


def test_memorizing_and_converged_runs_are_not_flagged():
    assert underfit_check(_hist([0.5, 0.6, 0.7, 0.8, 0.9], [0.8, 0.8, 0.78, 0.75, 0.7])) is None
    assert underfit_check(_hist([0.9, 0.95, 0.97, 0.975, 0.976], [0.9, 0.92, 0.93, 0.93, 0.931])) is None
    assert underfit_check(_hist([0.1, 0.5], [0.1, 0.5])) is None


def test_cli_warns_on_an_underfit_run(tmp_path, capsys):
    # Five epochs at a tiny constant learning rate on digits: barely started, still climbing.
    rc = cli.main(
        [
            "train",
            "--dataset",
            "digits",
            "--model",
            "mlp",
            "--epochs",
            "5",
            "--runs-dir",
            str(tmp_path),
            "--set",
            "lr=0.0001",
            "--set",
            "probes=[]",
            "--set",
            "schedule=constant",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 0
    assert "labelscope: warning: Looks underfit" in err
