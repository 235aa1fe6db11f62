"""Noise detection: per-sample suspicion scores (model, method, cleanlab) and how well each finds the flips.

cleanlab (Northcutt et al., "Confident Learning", JAIR 2021) is the peer baseline: `find_label_issues`
on out-of-sample predicted probabilities from a cross-validated linear classifier (closed-form shrinkage
LDA by default, logistic regression as an option), plus its estimated noise transition matrix. Its
features (`source`) are by default label-free (the probe subset's inputs, see core/detection), so the
scores stay out of sample after the model memorizes; `source=features` uses the penultimate features,
which were trained on the noisy labels and go blind then. The cleanlab score is the log-odds
log P(not y) - log P(y), which keeps ranking where 1 - P(y) would tie at 0.999999.

Artifact `artifacts/noise_detection/eNNNNN.npz` (P = probe subset size, S = scores, K = classes, R = top list):
    score_names (S,) str        model_loss, model_margin, model_entropy, method_<key>..., cleanlab
    scores (S, P) float32       suspicion, higher = more likely mislabeled (NaN where a score has no value)
    auroc, precision_at_k, recall_at_k (S,) float   vs the flip mask at k = true number of flips (NaN without truth)
    idx (P,) int64 dataset indices; y_obs (P,) int64; y_true (P,) int64 (-1 unknown); flipped (P,) bool; pred (P,) int64
    cleanlab_pred_probs (P, K) float32  out-of-sample probabilities (absent if cleanlab could not run)
    cleanlab_issues (P,) bool           cleanlab's `find_label_issues` mask
    T_estimated (K, K)  cleanlab's estimate of T[true, observed] = P(observed | true) (rows = true class)
    T_injected (K, K)   the realized T[true, observed] on the probe subset (only when the truth is known)
    top_idx, top_obs, top_pred (R,) int64; top_score (R,) float; top_flipped (R,) bool (False without truth)
        the R most suspicious samples by `rank_by`, most suspicious first
    rank_by () str              the score that ordered the list
    source () str               where cleanlab's features came from (a core/detection SOURCES key)
Scalars: auroc_<score>, prec_at_k_<score>, cleanlab_issues_frac, cleanlab_issues_precision,
cleanlab_issues_recall, T_mae (mean |T_estimated - T_injected|), n_flipped.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from core.config import opt
from core.noise import transition_matrix
from core.probes._threads import single_thread
from core.probes.base import Probe, ProbeContext, ProbeResult
from core.registry import register_probe
from core.scores import auroc, method_scores, model_scores


def precision_recall_at_k(scores: np.ndarray, positive: np.ndarray, k: int) -> tuple[float, float]:
    """Precision and recall of the k highest scores (non-finite scores rank last; ties by position)."""
    pos = np.asarray(positive, dtype=bool)
    n_pos = int(pos.sum())
    if k <= 0 or n_pos == 0:
        return float("nan"), float("nan")
    s = np.where(np.isfinite(scores), scores, -np.inf)
    top = np.argsort(-s, kind="stable")[:k]
    tp = int(pos[top].sum())
    return tp / k, tp / n_pos


def stratified_folds(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Fold id (N,) per sample: each class is shuffled and dealt round-robin over the folds."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xF01D]))
    fold = np.empty(len(labels), np.int64)
    for c in np.unique(labels):
        pos = np.flatnonzero(labels == c)
        fold[rng.permutation(pos)] = np.arange(len(pos)) % folds
    return fold


def lda_probs(X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, num_classes: int, cfg) -> np.ndarray:
    """Linear discriminant analysis in closed form: class means, pooled covariance shrunk towards a
    scaled identity by `cfg.shrinkage`; posterior probabilities (n_te, K), 0 for classes absent from X_tr."""
    return np.exp(lda_log_probs(X_tr, y_tr, X_te, num_classes, cfg))


def lda_log_probs(X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, num_classes: int, cfg) -> np.ndarray:
    """`lda_probs` as log-posteriors (n_te, K), exact where the probabilities underflow; -inf for absent classes."""
    present = np.unique(y_tr)
    pos = np.searchsorted(present, y_tr)
    means = np.stack([X_tr[pos == i].mean(0) for i in range(len(present))])
    R = X_tr - means[pos]
    D = X_tr.shape[1]
    S = R.T @ R / len(X_tr)  # the prior-weighted average of the class covariances
    S = (1 - cfg.shrinkage) * S + cfg.shrinkage * max(np.trace(S) / D, 1e-12) * np.eye(D)
    W = np.linalg.solve(S, means.T)  # (D, C)
    z = X_te @ W - 0.5 * (means * W.T).sum(1) + np.log(np.bincount(pos) / len(pos))
    z -= z.max(1, keepdims=True)
    out = np.full((len(X_te), num_classes), -np.inf)
    out[:, present] = z - np.log(np.exp(z).sum(1, keepdims=True))
    return out


def logreg_probs(X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, num_classes: int, cfg) -> np.ndarray:
    """Multinomial logistic regression (scikit-learn, L2 strength 1/cfg.C, cfg.max_iter L-BFGS steps)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=cfg.C, max_iter=cfg.max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few iterations are enough here; no convergence nag
        clf.fit(X_tr, y_tr)
    out = np.zeros((len(X_te), num_classes))
    out[:, clf.classes_] = clf.predict_proba(X_te)
    return out


CLASSIFIERS = {"lda": lda_probs, "logreg": logreg_probs}


def cross_val_probs(
    features: np.ndarray, labels: np.ndarray, num_classes: int, folds: int, cfg, seed: int
) -> np.ndarray:
    """Out-of-sample class probabilities (P, K): each fold predicted by `CLASSIFIERS[cfg.classifier]`
    fitted on the other folds, on standardized features."""
    X = np.asarray(features, dtype=np.float64)
    sd = X.std(0)
    X = (X - X.mean(0)) / np.where(sd > 1e-12, sd, 1.0)  # label-free, so no leak across folds
    fit_predict = CLASSIFIERS[cfg.classifier]
    fold = stratified_folds(labels, folds, seed)
    probs = np.zeros((len(X), num_classes))
    for f in range(folds):
        te = fold == f
        probs[te] = fit_predict(X[~te], labels[~te], X[te], num_classes, cfg)
    # A class missing from a fold gets a tiny floor so cleanlab's normalizations stay finite.
    probs = probs + 1e-6
    return probs / probs.sum(1, keepdims=True)


def cleanlab_detect(pred_probs: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """cleanlab's issue mask (P,), suspicion 1 - self-confidence (P,), and T_estimated[true, observed] (K, K)."""
    from cleanlab.count import estimate_py_and_noise_matrices_from_probabilities
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        issues = find_label_issues(labels, pred_probs, n_jobs=1)
        quality = get_label_quality_scores(labels, pred_probs, method="self_confidence")
        _, noise_matrix, _, _ = estimate_py_and_noise_matrices_from_probabilities(labels, pred_probs)
    # cleanlab's noise_matrix[i, j] = P(label=i | true=j); ours is rows = true class.
    return {
        "issues": np.asarray(issues, bool),
        "score": 1.0 - np.asarray(quality, np.float64),
        "T": np.asarray(noise_matrix, np.float64).T,
    }


@register_probe("noise_detection")
class NoiseDetection(Probe):
    help = "how well loss, margin, the method's own values and cleanlab find the mislabeled samples"
    help_ja = "損失・マージン・手法自身の値・cleanlab が誤ラベルのサンプルをどれだけ見つけるか"

    @dataclasses.dataclass(frozen=True)
    class Config:
        cleanlab: bool = opt(True, "run cleanlab on cross-validated probabilities (the costly part)")
        classifier: str = opt(
            "lda",
            "classifier giving cleanlab its out-of-sample probabilities "
            "(lda: closed form, ~7x cheaper than logreg and as good or better on digits)",
            choices=tuple(CLASSIFIERS),
        )
        shrinkage: float = opt(0.3, "lda: covariance shrinkage towards a scaled identity", lo=0.0, hi=1.0)
        folds: int = opt(3, "cross-validation folds for cleanlab's out-of-sample probabilities", lo=2, hi=20)
        max_iter: int = opt(20, "logreg: iterations per fold (few: cheap, and less overfit)", lo=5, hi=10000)
        C: float = opt(1.0, "logreg: inverse L2 strength", lo=0.0, hi=1e6, lo_open=True)
        top: int = opt(50, "length of the most-suspicious list", lo=1, hi=10000)
        rank_by: str = opt("cleanlab", "score that orders the most-suspicious list (falls back to model_loss)")
        source: str = opt(
            "inputs",
            "features of cleanlab's classifier: the label-free inputs (stays out of sample "
            "when the model memorizes) or the model's penultimate features",
            choices=("inputs", "features"),
        )
        max_dim: int = opt(64, "inputs wider than this are reduced by PCA (label-free) first", lo=2, hi=4096)

    def __init__(self, cfg=None):
        super().__init__(cfg)
        if self.cfg.cleanlab:
            import cleanlab.filter  # noqa: F401  (a one-off ~0.5 s import, paid at setup, not at every probe)

    def run(self, ctx: ProbeContext) -> ProbeResult:
        with single_thread():
            return self._run(ctx)

    def _run(self, ctx: ProbeContext) -> ProbeResult:
        feats, logits = ctx.forward()
        y_obs = np.asarray(ctx.y_obs, dtype=np.int64)
        K = ctx.num_classes
        scores = model_scores(logits, y_obs)
        scores.update(method_scores(ctx.per_sample, ctx.per_sample_meaning, ctx.idx))
        arrays: dict[str, np.ndarray] = {}
        scalars: dict[str, float] = {}
        counts = np.bincount(y_obs, minlength=K)
        folds = int(min(self.cfg.folds, counts[counts > 0].min())) if len(y_obs) else 0
        if self.cfg.cleanlab and folds >= 2 and (counts > 0).sum() >= 2:
            from core.detection.out_of_sample import DetectConfig, detect

            c = self.cfg
            dcfg = DetectConfig(
                folds=folds,
                max_dim=c.max_dim,
                shrinkage=c.shrinkage,
                classifier=c.classifier,
                max_iter=c.max_iter,
                C=c.C,
            )
            data = {"inputs": ctx.x, "features": feats}[c.source]
            det = detect(data.detach().float().cpu().numpy(), y_obs, K, ctx.seed, source=c.source, cfg=dcfg)
            scores["cleanlab"] = det.score
            arrays.update(
                cleanlab_pred_probs=det.probs.astype(np.float32),
                cleanlab_issues=det.issues,
                T_estimated=det.T,
                source=np.asarray(det.source),
            )
            scalars["cleanlab_issues_frac"] = float(det.issues.mean())
        names = list(scores)
        S = np.stack([np.asarray(scores[n], np.float64) for n in names])
        pred = logits.argmax(1).cpu().numpy().astype(np.int64)
        flipped = np.asarray(ctx.flipped, bool) if ctx.flipped is not None else None
        au = np.full(len(names), np.nan)
        pk = np.full(len(names), np.nan)
        rk = np.full(len(names), np.nan)
        if flipped is not None and 0 < flipped.sum() < len(flipped):
            k = int(flipped.sum())
            scalars["n_flipped"] = float(k)
            for i, n in enumerate(names):
                au[i] = auroc(S[i], flipped)
                pk[i], rk[i] = precision_recall_at_k(S[i], flipped, k)
                if np.isfinite(au[i]):
                    scalars[f"auroc_{n}"] = au[i]
                if np.isfinite(pk[i]):
                    scalars[f"prec_at_k_{n}"] = pk[i]
            if "cleanlab_issues" in arrays:
                iss = arrays["cleanlab_issues"]
                if iss.any():
                    scalars["cleanlab_issues_precision"] = float(flipped[iss].mean())
                scalars["cleanlab_issues_recall"] = float(iss[flipped].mean())
        if ctx.y_true is not None:
            T_inj = transition_matrix(ctx.y_true, y_obs, K)
            arrays["T_injected"] = T_inj
            if "T_estimated" in arrays:
                scalars["T_mae"] = float(np.abs(arrays["T_estimated"] - T_inj).mean())
        key = self.cfg.rank_by if self.cfg.rank_by in scores else "model_loss"
        order = np.argsort(-np.where(np.isfinite(scores[key]), scores[key], -np.inf), kind="stable")
        top = order[: self.cfg.top]
        arrays.update(
            score_names=np.asarray(names),
            scores=S.astype(np.float32),
            auroc=au,
            precision_at_k=pk,
            recall_at_k=rk,
            idx=np.asarray(ctx.idx, np.int64),
            y_obs=y_obs,
            y_true=np.asarray(ctx.y_true, np.int64) if ctx.y_true is not None else np.full(len(y_obs), -1, np.int64),
            flipped=flipped if flipped is not None else np.zeros(len(y_obs), bool),
            pred=pred,
            top_idx=np.asarray(ctx.idx, np.int64)[top],
            top_obs=y_obs[top],
            top_pred=pred[top],
            top_score=np.asarray(scores[key], np.float64)[top],
            top_flipped=flipped[top] if flipped is not None else np.zeros(len(top), bool),
            rank_by=np.asarray(key),
        )
        return ProbeResult(scalars, arrays)
