"""Check of Lu et al. (LABO, arXiv 2305.04971): instance-wise optimal label regularization beats uniform label
smoothing at label-smoothing cost. Measured under 40% symmetric noise on digits, same alpha = eps = 0.1.
"""

from __future__ import annotations

import numpy as np

from core.papers.base import CheckResult, PaperCheck, mean_sd, per_seed
from core.papers.runs import train_runs
from core.registry import register_paper_check

MAX_COST = 1.15  # labo's median epoch time over label smoothing's (DESIGN.md target) for "same cost"


@register_paper_check("labo")
class LaboCheck(PaperCheck):
    paper = "arXiv 2305.04971, Lu et al.: LABO, learning optimal label regularization (ACL Findings 2023)"
    methods = ("labo",)
    claim = "LABO's per-instance smoothing is more accurate than uniform label smoothing, at about the same cost."
    help = "labo vs label_smoothing at the same smoothing share, accuracy and epoch time, under noise"
    help_ja = "同じ平滑化量での labo 対 label_smoothing：ノイズ下の精度とエポック時間"

    def run(self, quick, echo):
        seeds = self.seeds(quick)
        base = {"dataset": "digits", "noise": "symmetric", "noise_rate": 0.4, "epochs": 30}
        acc_labo, acc_ls, cost = [], [], []
        for seed in seeds:
            labo, ls = train_runs(
                [
                    {**base, "method": "labo", "seed": seed, "method_options": {"alpha": 0.1}},
                    {**base, "method": "label_smoothing", "seed": seed, "method_options": {"eps": 0.1}},
                ],
                echo,
            )
            acc_labo.append(float(labo["summary"]["test_acc_final"]))
            acc_ls.append(float(ls["summary"]["test_acc_final"]))
            cost.append(float(labo["summary"]["epoch_time_s"]) / max(1e-9, float(ls["summary"]["epoch_time_s"])))
        acc_held = float(np.mean(acc_labo)) >= float(np.mean(acc_ls))
        cost_held = float(np.median(cost)) <= MAX_COST
        return CheckResult(
            self.name,
            self.paper,
            list(self.methods),
            self.claim,
            prediction=f"mean test accuracy labo >= label_smoothing; epoch-time ratio <= {MAX_COST}",
            measurement=(
                f"test accuracy labo {mean_sd(acc_labo)} [{per_seed(acc_labo)}] vs label_smoothing "
                f"{mean_sd(acc_ls)} [{per_seed(acc_ls)}] ({'held' if acc_held else 'not held'}); "
                f"epoch-time ratio {per_seed(cost)} (median {np.median(cost):.2f}: "
                f"{'held' if cost_held else 'not held'}; a timing: see the load average)"
            ),
            held=bool(acc_held and cost_held),
            seeds=seeds,
            quick=quick,
            figures={
                "labo_acc": acc_labo,
                "ls_acc": acc_ls,
                "cost_ratio": cost,
                "accuracy_held": acc_held,
                "cost_held": cost_held,
            },
        )
