"""Underfit check of a finished run: training accuracy still climbing steeply at the end while validation
accuracy also still rises means more epochs (or a larger model) would help; a memorizing run (training
accuracy up, validation flat or down) is not flagged."""

from __future__ import annotations

TRAIN_GAIN = 0.02  # absolute rise of training accuracy over the last fifth of the epochs
VAL_GAIN = 0.005  # validation must still rise too, else the climb is memorization of noisy labels


def underfit_check(history: list[dict]) -> dict | None:
    """history: log records of a run; the last stage is checked. Returns the evidence and advice, or None."""
    if not history:
        return None
    stage = history[-1].get("stage", 0)
    recs = [r for r in history if r.get("stage", 0) == stage and "train/acc_observed" in r]
    if len(recs) < 3:
        return None
    k = max(1, len(recs) // 5)
    first, last = recs[-1 - k], recs[-1]
    train_gain = last["train/acc_observed"] - first["train/acc_observed"]
    val_gain = last.get("val/acc", 0.0) - first.get("val/acc", 0.0) if "val/acc" in last else train_gain
    if train_gain < TRAIN_GAIN or val_gain < VAL_GAIN:
        return None
    epochs = int(last.get("epoch", len(recs)))
    return {
        "train_gain": float(train_gain),
        "val_gain": float(val_gain),
        "over_epochs": int(last["epoch"] - first["epoch"]),
        "train_acc": float(last["train/acc_observed"]),
        "advice_epochs": 2 * epochs,
    }


def underfit_text(u: dict, model: str, lang: str = "en") -> str:
    """One line for the CLI and the pages."""
    from core.i18n import t

    return t(
        "underfit.warning",
        lang,
        gain=u["train_gain"],
        k=u["over_epochs"],
        epochs=u["advice_epochs"],
        model=model or "?",
    )
