"""Instance-dependent noise after Xia et al. (NeurIPS 2020, "Part-dependent label noise"), drawn from the features.

Per-sample flip rates q_i ~ N(rate, 0.1) truncated to [0, 1); a random projection W_{y_i} of x_i
decides which wrong classes are likely: p_i = q_i * softmax over k != y_i, and 1 - q_i stays on y_i.
"""

import numpy as np

from core.errors import UserError
from core.registry import register_noise


@register_noise("instance")
def instance(
    labels: np.ndarray, num_classes: int, rate: float, rng: np.random.Generator, features=None, **_
) -> np.ndarray:
    if features is None:
        raise UserError("noise kind 'instance' needs the features")
    if rate == 0:
        return labels.copy()
    from scipy.stats import truncnorm  # deferred: scipy.stats costs ~1 s of every worker's start-up

    X = np.asarray(features, dtype=np.float64).reshape(len(labels), -1)
    X = X / (np.linalg.norm(X, axis=1, keepdims=True) + 1e-12)
    sd = 0.1
    a, b = (0 - rate) / sd, (1 - rate) / sd
    q = truncnorm.rvs(a, b, loc=rate, scale=sd, size=len(labels), random_state=rng)
    W = rng.standard_normal((num_classes, X.shape[1], num_classes))
    scores = np.empty((len(labels), num_classes))
    for c in range(num_classes):  # per class, so memory stays (N, K) rather than (N, D, K)
        m = labels == c
        scores[m] = X[m] @ W[c]
    scores[np.arange(len(labels)), labels] = -np.inf
    scores = scores - scores.max(1, keepdims=True)
    P = np.exp(scores)
    P = q[:, None] * P / P.sum(1, keepdims=True)
    P[np.arange(len(labels)), labels] = 1 - q
    u = rng.random(len(labels))
    out = (u[:, None] > np.cumsum(P, axis=1)).sum(1)
    return np.minimum(out, num_classes - 1)


instance.needs_features = True
instance.help = "instance-dependent: per-sample flip rates and wrong classes depend on the features (Xia et al. 2020)"
instance.uses_rate = True
instance.pickable = True
instance.injects = True
instance.options = ()
