"""Check of Becker & Risse (arXiv 2411.19640): random-label head accuracy measures memorization, so across
regularizers it ranks like the generalization gap, and the unlearning term (lambda > 0) lowers it.

Every run carries the independent `rlp` monitor (its own label draw), which is the measure compared here.
"""

from __future__ import annotations

import numpy as np

from core.papers.base import CheckResult, PaperCheck, mean_sd, spearman
from core.papers.runs import train_runs
from core.registry import register_paper_check

MIN_RHO = 0.5  # Spearman rank correlation between head accuracy and the gap needed for "held"

# The regularizers compared (name -> RunConfig values), all on the same data, model and budget.
REGULARIZERS = {
    "none": {"method": "ce", "weight_decay": 0.0},
    "weight_decay": {"method": "ce", "weight_decay": 0.05},
    "dropout": {"method": "ce", "weight_decay": 0.0, "model_options": {"dropout": 0.5}},
    "label_smoothing": {"method": "label_smoothing", "weight_decay": 0.0, "method_options": {"eps": 0.3}},
    "heads_lambda0": {"method": "random_heads", "weight_decay": 0.0, "method_options": {"lam": 0.0}},
    "heads_lambda1": {"method": "random_heads", "weight_decay": 0.0, "method_options": {"lam": 1.0}},
}


@register_paper_check("random_heads")
class RandomHeadsCheck(PaperCheck):
    paper = "arXiv 2411.19640, Becker & Risse: learned random-label predictions as a complexity metric"
    methods = ("random_heads",)
    claim = (
        "Random-label head accuracy estimates memorization: across regularizers it ranks like the "
        "generalization gap (train accuracy on the observed labels minus test accuracy), and the "
        "unlearning term lambda > 0 lowers it."
    )
    help = "random-label head accuracy vs generalization gap over regularizers; lambda > 0 lowers head accuracy"
    help_ja = "正則化ごとのランダムラベルヘッド精度と汎化ギャップ；lambda > 0 でヘッド精度が下がる"

    def run(self, quick, echo):
        seeds = [0] if quick else [0, 1, 2]
        base = {
            "dataset": "digits",
            "noise": "symmetric",
            "noise_rate": 0.4,
            "model": "mlp",
            "epochs": 30 if quick else 60,
            "monitors": ["rlp"],
            "lr": 3e-3,
            "schedule": "constant",
        }
        head, gap = {k: [] for k in REGULARIZERS}, {k: [] for k in REGULARIZERS}
        for seed in seeds:
            runs = train_runs([{**base, **v, "seed": seed} for v in REGULARIZERS.values()], echo)
            for k, r in zip(REGULARIZERS, runs):
                s = r["summary"]
                head[k].append(float(s["rlp_acc_train_final"]))
                gap[k].append(float(s["train_acc_observed_final"]) - float(s["test_acc_final"]))
        names = list(REGULARIZERS)
        h = [float(np.mean(head[k])) for k in names]
        g = [float(np.mean(gap[k])) for k in names]
        rho = spearman(h, g)
        lowered = np.mean(head["heads_lambda1"]) < np.mean(head["heads_lambda0"])
        corr_held = bool(np.isfinite(rho) and rho >= MIN_RHO)
        rows = "; ".join(f"{k}: head {a:.3f}, gap {b:.3f}" for k, a, b in zip(names, h, g))
        return CheckResult(
            self.name,
            self.paper,
            list(self.methods),
            self.claim,
            prediction=(
                f"Spearman rho(head accuracy, generalization gap) >= {MIN_RHO} over {len(names)} "
                "regularizers; head accuracy with lambda = 1 below lambda = 0"
            ),
            measurement=(
                f"{rows}. rho = {rho:.2f} ({'held' if corr_held else 'not held'}); head accuracy "
                f"lambda=1 {mean_sd(head['heads_lambda1'])} vs lambda=0 {mean_sd(head['heads_lambda0'])} "
                f"({'held' if lowered else 'not held'})"
            ),
            held=bool(corr_held and lowered),
            seeds=seeds,
            quick=quick,
            figures={
                "head_acc": head,
                "gap": gap,
                "rho": rho,
                "lambda_lowers": bool(lowered),
                "correlation_held": corr_held,
            },
        )
