"""LABO: instance-wise optimal label regularization (Lu et al., arXiv 2305.04971, ACL Findings 2023).

Reconstruction [R] (only the abstract was available; METHODS.md §1): the inner problem
min_u <u, -log p> s.t. u on the non-target simplex, KL(u || uniform) <= eps has the closed form
u_k ∝ exp(z_k / T) (k != y) with a per-sample temperature T found by bisection; the outer gradient uses
u detached, which is exact by the envelope theorem. Options: the small-eps temperature std/√(2 eps) and
the fixed-temperature penalty variant. Defaults (alpha = 0.1, eps = 0.1) are ours: the paper's were not retrieved.
"""

from __future__ import annotations

import dataclasses
import math

import torch
import torch.nn.functional as F

from core.config import opt
from core.methods.base import Method, StepOutput
from core.outputs import LOSS, SCORE, PerSample, Produces, Scalar
from core.registry import register_method

# Bisection steps on log(1/T) over a bracket of width 32, enough to reach the dtype's resolution
# (32 / 2^32 ≈ 7e-9 for fp32, 32 / 2^60 ≈ 3e-17 for fp64); fewer steps keep LABO cheap in fp32 training.
BISECTION_STEPS = {torch.float32: 32, torch.float64: 60}
_BRACKET = 16.0  # the bracket spans exp(±16) around the small-eps guess, so no data-dependent loop is needed


def _tempered(z: torch.Tensor, keep: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """beta * z with -inf at the target (masking after scaling keeps beta = 0 finite), (B, K)."""
    return (z * beta[:, None]).masked_fill(~keep, float("-inf"))


def _kl_to_uniform(z: torch.Tensor, keep: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """KL(softmax(beta * z) over the non-target entries || uniform over them), rows (B,)."""
    logu = F.log_softmax(_tempered(z, keep, beta), dim=1)
    u = logu.exp()
    ent = -(u * logu.masked_fill(~keep, 0.0)).sum(1)
    return math.log(z.shape[1] - 1) - ent


def _small_eps_temperature(zf: torch.Tensor, eps: float) -> torch.Tensor:
    """T ≈ std_{k≠y}(z) / sqrt(2 eps), from KL(softmax(s) || U) ≈ Var_U(s) / 2; zf (B, K-1) non-target logits."""
    return zf.std(1, unbiased=False) / math.sqrt(2.0 * eps)


@torch.no_grad()
def optimal_smoothing(
    logits: torch.Tensor,
    targets: torch.Tensor,
    eps: float,
    solver: str = "bisection",
    temperature: float = 1.0,
    steps: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-sample optimal smoothing distribution of the LABO inner problem.

    logits (B, K), targets (B,) -> u (B, K) with u[i, targets[i]] = 0, rows on the simplex and
    KL(u_i || uniform over the K-1 non-target classes) = eps, and temperatures T (B,), u_k ∝ exp(z_k / T).
    Computed on detached logits in at least fp32, with no host synchronization. solver: "bisection"
    (exact, vectorized over the batch), "small_eps" (T from the quadratic approximation), "fixed" (the
    penalty variant, T = `temperature` for every sample). eps = 0, or all non-target logits equal, gives
    the uniform u (label smoothing) with T = inf; eps near or above log(K-1) gives (nearly) the one-hot
    on the largest non-target logit. `steps`: bisection steps (default: the dtype's full resolution);
    each step halves the bracket of width 32 in log(1/T), so 16 steps give T to about 0.05%.
    """
    B, K = logits.shape
    dtype = torch.promote_types(logits.dtype, torch.float32)
    z = logits.detach().to(dtype)
    keep = torch.ones_like(z, dtype=torch.bool).scatter(1, targets[:, None], False)
    if K < 3:
        # With two classes the non-target simplex is one point: u is the other class and KL is 0.
        return keep.to(dtype), torch.full((B,), float("inf"), dtype=dtype, device=z.device)
    # Shift invariance: u does not change when a constant is added, and centring keeps exp() in range.
    z = z - z.masked_fill(~keep, float("-inf")).max(1, keepdim=True).values
    zf = z[keep].view(B, K - 1)
    spread = zf.std(1, unbiased=False)
    if solver == "fixed":
        beta = torch.full((B,), 1.0 / float(temperature), dtype=dtype, device=z.device)
    elif eps <= 0:
        beta = torch.zeros(B, dtype=dtype, device=z.device)
    elif solver == "small_eps":
        beta = 1.0 / _small_eps_temperature(zf, eps).clamp(min=1e-30)
    elif solver == "bisection":
        # KL is increasing in beta = 1/T, so bisect log(beta) around the small-eps guess. The loop is
        # pure dispatch overhead on small batches, so each step uses as few ops as possible: the target
        # is masked once (-inf stays -inf for beta > 0) and xlogy gives u log u with 0 at u = 0.
        guess = torch.log(math.sqrt(2.0 * eps) / spread.clamp(min=1e-30))
        lo, hi = guess - _BRACKET, guess + _BRACKET
        zmask = z.masked_fill(~keep, float("-inf"))
        target = eps - math.log(K - 1)  # KL < eps  <=>  sum u log u < eps - log(K-1)
        for _ in range(steps or BISECTION_STEPS.get(dtype, 60)):
            mid = 0.5 * (lo + hi)
            u = F.softmax(zmask * mid.exp()[:, None], dim=1)
            below = torch.special.xlogy(u, u).sum(1) < target
            lo = torch.where(below, mid, lo)
            hi = torch.where(below, hi, mid)
        beta = (0.5 * (lo + hi)).exp()
    else:
        raise ValueError(f"unknown solver '{solver}'")
    beta = torch.where(spread > 0, beta, torch.zeros_like(beta))
    u = F.softmax(_tempered(z, keep, beta), dim=1)
    T = torch.where(beta > 0, 1.0 / beta.clamp(min=torch.finfo(dtype).tiny), torch.full_like(beta, float("inf")))
    return u, T


def smoothing_entropy(u: torch.Tensor) -> torch.Tensor:
    """H(u) per row (B,), with 0 log 0 = 0."""
    return -(u * torch.log(u.clamp(min=1e-300)).masked_fill(u == 0, 0.0)).sum(1)


@register_method("labo")
class LABO(Method):
    help = (
        "Smooth each label towards the classes the model itself finds most plausible for that sample, "
        "by a controlled amount."
    )
    help_ja = "各サンプルのラベルを、モデル自身がそのサンプルでもっともらしいと見るクラスへ、決まった量だけ和らげる。"
    cost_target = 1.15  # time per step relative to ce (docs/DESIGN.md "Targets")
    produces = Produces(
        per_sample=(
            LOSS,
            PerSample(
                "labo_temperature",
                SCORE,
                {
                    "en": "smoothing temperature T (high: spread over many classes)",
                    "ja": "平滑化の温度 T（高いほど多くのクラスへ分散）",
                },
            ),
            PerSample(
                "labo_entropy", SCORE, {"en": "entropy of the smoothing distribution", "ja": "平滑化分布のエントロピー"}
            ),
        ),
        scalars=(
            Scalar("kl_realized", {"en": "KL(u || uniform) realized", "ja": "実現した KL(u || 一様)"}),
            Scalar(
                "top5_mass",
                {"en": "smoothing mass on the 5 most plausible classes", "ja": "上位 5 クラスへの平滑化質量"},
                unit="share",
            ),
            Scalar(
                "top5_mass_uniform",
                {"en": "the same mass under uniform smoothing", "ja": "一様平滑化での同じ質量"},
                unit="share",
            ),
            Scalar(
                "p_target", {"en": "mean probability of the observed label", "ja": "観測ラベルの平均確率"}, unit="share"
            ),
            Scalar("temperature_median", {"en": "median temperature T", "ja": "温度 T の中央値"}),
        ),
    )

    @dataclasses.dataclass(frozen=True)
    class Config:
        alpha: float = opt(
            0.1,
            "share of the target given to the smoothing distribution (like the label smoothing rate)",
            lo=0.0,
            hi=1.0,
            hi_open=True,
        )
        eps: float = opt(
            0.1,
            "how far (KL) each smoothing distribution may move from uniform; 0 = plain label smoothing",
            lo=0.0,
            hi=20.0,
        )
        solver: str = opt(
            "bisection",
            "temperature per sample: exact bisection, the small-eps formula, or one fixed T",
            choices=("bisection", "small_eps", "fixed"),
        )
        temperature: float = opt(1.0, "temperature of the 'fixed' solver", lo=0.0, hi=1e6, lo_open=True)
        bisection_steps: int = opt(
            16, "bisection steps per batch (16 give T to ~0.05%; each step costs one softmax)", lo=4, hi=80
        )

    def loss(self, batch, out, step):
        _, logits = out
        z = logits.to(torch.promote_types(logits.dtype, torch.float32))
        c = self.cfg
        u, T = optimal_smoothing(z, batch.y, c.eps, c.solver, c.temperature, c.bisection_steps)
        logp = F.log_softmax(z, dim=1)
        ce = -logp.gather(1, batch.y[:, None]).squeeze(1)
        # u is zero at the target, where log p is finite, so the product needs no masking.
        smooth = -(u * logp).sum(1)
        per = (1 - c.alpha) * ce + c.alpha * smooth
        with torch.no_grad():
            K = z.shape[1]
            H = smoothing_entropy(u)
            kl = math.log(max(K - 1, 1)) - H
            top = min(5, K - 1)
            top_mass = u.topk(top, dim=1).values.sum(1)
            finite_T = torch.where(torch.isfinite(T), T, torch.full_like(T, float("nan")))
        return StepOutput(
            per.mean(),
            scalars={
                "kl_realized": kl.mean(),
                "top5_mass": top_mass.mean(),
                "top5_mass_uniform": torch.tensor(top / max(K - 1, 1)),
                "p_target": ce.detach().neg().exp().mean(),
                # With K = 2 or eps = 0 every T is infinite (u is fixed); a median would be NaN.
                **({"temperature_median": finite_T.nanmedian()} if c.eps > 0 and K > 2 else {}),
            },
            per_sample={"loss": per.detach(), "labo_temperature": finite_T, "labo_entropy": H},
        )
