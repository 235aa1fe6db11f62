"""Check of Zuo et al. (DRIFT, arXiv 2109.07049): a differentiable teacher (Stackelberg gradient through the
follower) makes self-training better and steadier than the same self-training with the teacher detached.
Semi-supervised digits with 10% of the training labels kept (`labeled_fraction=0.1`), no injected noise.
"""

from __future__ import annotations

import numpy as np

from core.papers.base import CheckResult, PaperCheck, mean_sd, per_seed
from core.papers.runs import train_runs
from core.registry import register_paper_check


def mean_flip_rate(history: list[dict]) -> float:
    """Mean pseudo-label flip rate between consecutive evaluations over the run (NaN if never logged)."""
    v = [r["method/pseudo_flip_rate"] for r in history if "method/pseudo_flip_rate" in r]
    return float(np.mean(v)) if v else float("nan")


@register_paper_check("drift")
class DriftCheck(PaperCheck):
    paper = "arXiv 2109.07049, Zuo et al.: self-training with differentiable teacher (NAACL Findings 2022)"
    methods = ("drift",)
    claim = (
        "Differentiating through the teacher (student as Stackelberg leader) gives more accurate and "
        "steadier self-training than the same teacher detached."
    )
    help = "drift vs its detached-teacher variant at labeled_fraction=0.1: accuracy and pseudo-label flip rate"
    help_ja = "labeled_fraction=0.1 での drift と教師を切り離した変種の比較：精度と疑似ラベルの反転率"

    def run(self, quick, echo):
        seeds = self.seeds(quick)
        base = {
            "dataset": "digits",
            "noise": "none",
            "labeled_fraction": 0.1,
            "epochs": 15 if quick else 30,
            "method": "drift",
        }
        acc, acc_det, flips, flips_det = [], [], [], []
        for seed in seeds:
            d, det = train_runs(
                [{**base, "seed": seed}, {**base, "seed": seed, "method_options": {"detach_teacher": True}}], echo
            )
            acc.append(float(d["summary"]["test_acc_final"]))
            acc_det.append(float(det["summary"]["test_acc_final"]))
            flips.append(mean_flip_rate(d["history"]))
            flips_det.append(mean_flip_rate(det["history"]))
        acc_held = float(np.mean(acc)) >= float(np.mean(acc_det))
        steady_held = float(np.nanmean(flips)) <= float(np.nanmean(flips_det))
        return CheckResult(
            self.name,
            self.paper,
            list(self.methods),
            self.claim,
            prediction="mean test accuracy drift >= detached teacher; mean pseudo-label flip rate drift <= detached",
            measurement=(
                f"test accuracy drift {mean_sd(acc)} [{per_seed(acc)}] vs detached {mean_sd(acc_det)} "
                f"[{per_seed(acc_det)}] ({'held' if acc_held else 'not held'}); flip rate drift "
                f"{per_seed(flips)} vs detached {per_seed(flips_det)} "
                f"({'held' if steady_held else 'not held'})"
            ),
            held=bool(acc_held and steady_held),
            seeds=seeds,
            quick=quick,
            figures={
                "drift_acc": acc,
                "detached_acc": acc_det,
                "drift_flip_rate": flips,
                "detached_flip_rate": flips_det,
                "accuracy_held": acc_held,
                "steadier_held": steady_held,
            },
        )
