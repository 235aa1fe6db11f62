"""The noise-detection probe's artifacts read per sample: the ranked suspicious list and one sample's history.

Array keys follow core/probes/noise_detection.py (idx, y_obs, pred, flipped, y_true, scores, score_names, rank_by).
"""

from __future__ import annotations

import numpy as np

from core.store.run_data import RunData, artifact

PROBE = "noise_detection"


def rank_score(a: dict) -> np.ndarray | None:
    """The (P,) score row that orders the probe's most-suspicious list (higher = more suspicious)."""
    if "scores" not in a or "score_names" not in a:
        return None
    names = [str(n) for n in a["score_names"]]
    key = str(a["rank_by"]) if "rank_by" in a else "model_loss"
    row = names.index(key) if key in names else 0
    return np.asarray(a["scores"][row], float)


def sample_pos(a: dict, index: int | None) -> int | None:
    """Position of dataset `index` among the probe samples of artifact `a`, or None."""
    if "idx" not in a or index is None:
        return None
    hits = np.flatnonzero(np.asarray(a["idx"]) == index)
    return int(hits[0]) if len(hits) else None


def suspicious(run: RunData, epoch: int | None = None) -> dict[str, np.ndarray]:
    """Every probe sample ranked by the noise-detection probe's `rank_by` score, most suspicious first.

    Keys: index, observed, predicted, score, flipped, true (true = -1 when unknown); {} when not recorded.
    """
    a = artifact(run, PROBE, epoch)
    score = rank_score(a)
    if score is None:
        return {}
    order = np.argsort(-np.where(np.isfinite(score), score, -np.inf), kind="stable")
    cols = {"index": "idx", "observed": "y_obs", "predicted": "pred", "flipped": "flipped", "true": "y_true"}
    out = {k: np.asarray(a[v])[order] for k, v in cols.items() if v in a}
    out["score"] = score[order]
    return out


def most_suspicious(run: RunData, epoch: int | None = None) -> int | None:
    """Dataset index of the most suspicious probe sample at `epoch`, or None when not recorded."""
    ranked = suspicious(run, epoch)
    return int(ranked["index"][0]) if ranked else None


def sample_score_history(run: RunData, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, score) of dataset `index` at every recorded noise-detection epoch (ranking score)."""
    xs, ys = [], []
    for ep in run.reader.artifact_epochs(PROBE) if run.reader is not None else []:
        a = artifact(run, PROBE, ep, exact=True)  # a damaged epoch is a gap, not a neighbour's copy
        score, pos = rank_score(a), sample_pos(a, index)
        if score is not None and pos is not None:
            xs.append(ep)
            ys.append(float(score[pos]))
    return np.array(xs, int), np.array(ys, float)
