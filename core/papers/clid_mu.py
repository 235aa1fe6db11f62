"""Check of Hu et al. (CLID-MU, arXiv 2507.11807): the label-free CLID of an unlabeled meta set tracks clean test
accuracy over training (low CLID, high accuracy), and meta-reweighting on it is at least as accurate as plain
cross-entropy under 40% symmetric noise. Runs use the method's defaults (chosen by measurement, see docs/PAPERS.md).
"""

from __future__ import annotations

import numpy as np

from core.papers.base import CheckResult, PaperCheck, mean_sd, per_seed, spearman
from core.papers.runs import train_runs
from core.registry import register_paper_check

MAX_RHO = -0.5  # Spearman rho(meta-set CLID, test accuracy) over epochs must be at most this for "held"


@register_paper_check("clid_mu")
class ClidCheck(PaperCheck):
    paper = "arXiv 2507.11807, Hu et al.: CLID-MU, label-free meta-reweighting (KDD 2025)"
    methods = ("clid_mu",)
    claim = (
        "The cross-layer information divergence of unlabeled meta data falls as clean test accuracy rises "
        "(a label-free model-selection signal), and CLID-driven reweighting is at least as accurate as "
        "cross-entropy at 40% symmetric noise."
    )
    help = "meta-set CLID vs test accuracy over epochs (rank correlation); clid_mu vs ce at 40% symmetric"
    help_ja = "メタセットの CLID とテスト精度のエポックごとの関係（順位相関）；40% 対称ノイズでの clid_mu 対 ce"

    def run(self, quick, echo):
        seeds = self.seeds(quick)
        base = {"dataset": "digits", "noise": "symmetric", "noise_rate": 0.4, "epochs": 30}
        rhos, acc_clid, acc_ce = [], [], []
        for seed in seeds:
            clid, ce = train_runs(
                [{**base, "method": "clid_mu", "seed": seed}, {**base, "method": "ce", "seed": seed}], echo
            )
            h = [r for r in clid["history"] if "method/clid_meta" in r and "test/acc" in r]
            rhos.append(spearman([r["method/clid_meta"] for r in h], [r["test/acc"] for r in h]))
            acc_clid.append(float(clid["summary"]["test_acc_final"]))
            acc_ce.append(float(ce["summary"]["test_acc_final"]))
        rho_held = bool(np.all(np.isfinite(rhos)) and np.mean(rhos) <= MAX_RHO)
        acc_held = all(a >= b for a, b in zip(acc_clid, acc_ce))
        return CheckResult(
            self.name,
            self.paper,
            list(self.methods),
            self.claim,
            prediction=(
                f"Spearman rho(meta-set CLID, test accuracy) over epochs <= {MAX_RHO}; clid_mu's test "
                "accuracy >= ce's on every seed"
            ),
            measurement=(
                f"rho per seed {per_seed(rhos)} (mean {np.mean(rhos):.2f}: "
                f"{'held' if rho_held else 'not held'}); test accuracy clid_mu {mean_sd(acc_clid)} "
                f"[{per_seed(acc_clid)}] vs ce {mean_sd(acc_ce)} [{per_seed(acc_ce)}] "
                f"({'held' if acc_held else 'not held'})"
            ),
            held=bool(rho_held and acc_held),
            seeds=seeds,
            quick=quick,
            figures={
                "rho": rhos,
                "clid_mu_acc": acc_clid,
                "ce_acc": acc_ce,
                "rho_held": rho_held,
                "accuracy_held": acc_held,
            },
        )
