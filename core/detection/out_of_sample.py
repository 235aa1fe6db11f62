"""Honest noise detection: suspicion scores from probabilities that never saw the sample's label, also once
the trained model has memorized its labels (then its own loss, and classifiers fitted on its features, go blind).

The scores come from K-fold cross-validated linear classifiers (closed-form LDA by default) on label-free
features (`SOURCES`): the raw inputs, reduced by PCA when they are wide (PCA is label-free, so it leaks nothing
across folds). cleanlab's `find_label_issues` (Northcutt et al., JAIR 2021) flags the likely flips.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from core.config import opt
from core.probes.noise_detection import CLASSIFIERS, auroc, cleanlab_detect, lda_log_probs, stratified_folds

PCA_FIT_ROWS = 4000  # the PCA basis is fitted on at most this many rows (then every row is projected)


@dataclasses.dataclass(frozen=True)
class DetectConfig:
    folds: int = opt(5, "cross-validation folds", lo=2, hi=20)
    max_dim: int = opt(64, "inputs wider than this are reduced by PCA to this many components", lo=2, hi=4096)
    shrinkage: float = opt(0.3, "LDA covariance shrinkage towards a scaled identity", lo=0.0, hi=1.0)
    classifier: str = opt("lda", "out-of-sample classifier", choices=tuple(CLASSIFIERS))
    max_iter: int = opt(20, "logreg: iterations per fold", lo=5, hi=10000)
    C: float = opt(1.0, "logreg: inverse L2 strength", lo=0.0, hi=1e6, lo_open=True)


def input_features(X: np.ndarray, max_dim: int = 64, seed: int = 0) -> np.ndarray:
    """Label-free features (N, <= max_dim) of inputs X (N, ...): flattened, standardized, PCA when wider."""
    F = np.asarray(X, np.float64).reshape(len(X), -1)
    F = F - F.mean(0)
    if F.shape[1] > max_dim:
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0x9CA]))
        fit = F[rng.choice(len(F), PCA_FIT_ROWS, replace=False)] if len(F) > PCA_FIT_ROWS else F
        # Top eigenvectors of the (D, D) covariance: cheaper than an SVD of the (n, D) rows when n > D.
        _, vecs = np.linalg.eigh(fit.T @ fit)
        F = F @ vecs[:, ::-1][:, :max_dim]
    sd = F.std(0)
    return F / np.where(sd > 1e-12, sd, 1.0)


def standardized(X: np.ndarray, max_dim: int = 64, seed: int = 0) -> np.ndarray:
    """Features (N, D) as given, standardized per column (for the model's penultimate features)."""
    F = np.asarray(X, np.float64).reshape(len(X), -1)
    sd = F.std(0)
    return (F - F.mean(0)) / np.where(sd > 1e-12, sd, 1.0)


# Where the classifier's features come from: name -> (feature map, i18n key naming it on pages). Only
# "inputs" is label-free; "features" (a model's penultimate layer) saw the labels and is kept for comparison.
SOURCES = {"inputs": (input_features, "detect.source.inputs"), "features": (standardized, "detect.source.features")}


def cross_val_log_probs(
    features: np.ndarray, labels: np.ndarray, num_classes: int, cfg: DetectConfig, seed: int
) -> np.ndarray:
    """Out-of-sample log-probabilities (N, K): fold f is predicted by a classifier fitted on the other folds."""
    counts = np.bincount(labels, minlength=num_classes)
    folds = int(max(2, min(cfg.folds, counts[counts > 0].min())))
    fold = stratified_folds(labels, folds, seed)
    out = np.full((len(features), num_classes), -np.inf)
    for f in range(folds):
        te = fold == f
        if cfg.classifier == "lda":
            out[te] = lda_log_probs(features[~te], labels[~te], features[te], num_classes, cfg)
        else:
            with np.errstate(divide="ignore"):
                out[te] = np.log(
                    CLASSIFIERS[cfg.classifier](features[~te], labels[~te], features[te], num_classes, cfg)
                )
    return out


def log_odds_suspicion(log_probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """log P(not y) - log P(y) per sample (N,): higher = more suspicious; keeps its resolution where p_y -> 0 or 1
    (1 - p_y would tie at 0.999999). log_probs (N, K), labels (N,)."""
    lp = np.maximum(log_probs, -745.0)  # exp underflows below this; keeps the arithmetic finite
    rows = np.arange(len(lp))
    lp_y = lp[rows, labels]
    other = lp.copy()
    other[rows, labels] = -np.inf
    m = other.max(1, keepdims=True)
    lp_not = m[:, 0] + np.log(np.exp(other - m).sum(1))
    return lp_not - lp_y


@dataclasses.dataclass
class Detection:
    """score (N,) log-odds suspicion; issues (N,) bool cleanlab flags; probs (N, K); source: a `SOURCES` key."""

    score: np.ndarray
    issues: np.ndarray
    probs: np.ndarray
    T: np.ndarray
    source: str


def detect(
    X: np.ndarray,
    labels: np.ndarray,
    num_classes: int,
    seed: int,
    source: str = "inputs",
    cfg: DetectConfig | None = None,
) -> Detection:
    """Honest detection on inputs X (N, ...) with observed labels (N,) (no clean labels used)."""
    cfg = cfg or DetectConfig()
    labels = np.asarray(labels, np.int64)
    feats = SOURCES[source][0](X, cfg.max_dim, seed)
    logp = cross_val_log_probs(feats, labels, num_classes, cfg, seed)
    probs = np.exp(logp) + 1e-6  # the floor keeps cleanlab's normalizations finite for absent classes
    probs /= probs.sum(1, keepdims=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cl = cleanlab_detect(probs, labels)
    return Detection(log_odds_suspicion(logp, labels), cl["issues"], probs, cl["T"], source)


def record_entries(X: np.ndarray, labels: np.ndarray, num_classes: int, seed: int, flipped: np.ndarray | None) -> dict:
    """A run record's detection entries: `detect/auroc` (AUROC of the honest score vs the flips), `detect/source`,
    and the flagged set's share, precision and recall. X (N, ...), labels (N,), flipped (N,) or None."""
    det = detect(X, labels, num_classes, seed)
    out = {"detect/source": det.source, "detect/flagged_frac": float(det.issues.mean())}
    if flipped is not None and 0 < flipped.sum() < len(flipped):
        out["detect/auroc"] = auroc(det.score, flipped)
        out["detect/flagged_recall"] = float(det.issues[flipped].mean())
        if det.issues.any():
            out["detect/flagged_precision"] = float(flipped[det.issues].mean())
    return out
