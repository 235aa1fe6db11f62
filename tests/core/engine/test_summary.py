"""`summarize` is a pure function of the stored records: it recomputes a finished run's summary.json exactly."""

from __future__ import annotations

import json
import os

import pytest

from core.engine.summary import summarize, summary_from_run


def _rec(epoch, acc, val, **kw):
    return {
        "epoch": epoch,
        "train/loss": 1.0 / epoch,
        "test/acc": acc,
        "val/acc": val,
        "time/train_epoch_s": 0.1 * epoch,
        **kw,
    }


def test_summarize_picks_final_best_and_selected_epochs():
    recs = [
        _rec(1, 0.5, 0.4, **{"method/crit": 3.0}),
        _rec(2, 0.7, 0.6, **{"method/crit": 1.0}),
        _rec(
            3,
            0.6,
            0.5,
            **{
                "method/crit": 2.0,
                "per_sample_auroc/weight": 0.8,
                "detect/auroc": 0.9,
                "detect/source": "inputs",
                "train/noise_auroc_model_loss": 0.6,
                "time/probes_s": 0.5,
            },
        ),
    ]
    s = summarize(
        recs,
        {"method": "x", "seed": 1},
        {"content_hash": "h", "noise": {"realized_rate": 0.25}},
        run_id="r",
        state="completed",
        wall_time_s=9.0,
        select_by="method/crit",
    )
    assert s["test_acc_final"] == 0.6 and s["test_acc_best"] == 0.7 and s["test_acc_at_best_val"] == 0.7
    assert (s["selected_by"], s["selected_epoch"], s["test_acc_at_selected"]) == ("method/crit", 2, 0.7)
    assert s["epoch_time_s"] == pytest.approx(0.2) and s["train_time_s"] == pytest.approx(0.6)
    assert s["probe_time_s"] == 0.5 and s["noise_auroc"] == 0.9 and s["per_sample_auroc"] == {"weight": 0.8}
    assert (s["noise_auroc_source"], s["noise_auroc_model_loss"]) == ("inputs", 0.6)
    assert s["final"] == {"method/crit": 2.0}
    assert (s["dataset_hash"], s["noise_rate_realized"], s["epochs"]) == ("h", 0.25, 3)


def test_a_diverged_last_record_is_not_a_result():
    recs = [_rec(1, 0.5, 0.4), {"epoch": 2, "train/loss": float("nan")}]
    s = summarize(recs, {}, {}, run_id="r", state="failed", wall_time_s=1.0)
    assert s["epochs"] == 1 and s["test_acc_final"] == 0.5


def test_no_records_give_the_identity_only():
    s = summarize([], {"method": "ce"}, {}, run_id="r", state="failed", wall_time_s=0.0)
    assert s["method"] == "ce" and s["epochs"] == 0 and "test_acc_final" not in s


def test_summary_recomputed_from_the_run_folder_matches_the_engine(tiny_suite):
    for rid in tiny_suite["run_ids"]:
        run_dir = os.path.join(tiny_suite["runs_dir"], rid)
        with open(os.path.join(run_dir, "summary.json")) as f:
            stored = json.load(f)
        assert summary_from_run(run_dir) == stored
        assert "rlp_acc_train_final" in stored and "noise_auroc" in stored
