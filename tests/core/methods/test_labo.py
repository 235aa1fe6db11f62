"""LABO's inner solution against a numerical solver, its limits, and the envelope-theorem gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy.optimize import minimize

from core import config as C
from core.errors import UserError
from core.methods.base import Batch, MethodContext
from core.methods.labo import LABO, _kl_to_uniform, optimal_smoothing, smoothing_entropy
from core.registry import METHODS


def _kl(u: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    K = u.shape[1]
    return math.log(K - 1) - smoothing_entropy(u)


def _slsqp(z: np.ndarray, y: int, eps: float, rng: np.random.Generator) -> np.ndarray:
    """min_u sum_k u_k (-log p_k) over the non-target simplex with KL(u || uniform) <= eps, by SLSQP.

    The problem is convex, so the best feasible point over a few starts is the optimum; one start is
    not enough because SLSQP sometimes stops early (the KL gradient is parallel to the simplex normal
    at the uniform point).
    """
    K = len(z)
    nll = -(z - np.logaddexp.reduce(z))
    others = np.array([k for k in range(K) if k != y])
    c = nll[others]
    m = K - 1

    def kl(u):
        return float(np.sum(u * np.log(np.maximum(u, 1e-300))) + np.log(m))

    starts = [np.exp(-0.01 * c) / np.exp(-0.01 * c).sum()]
    for _ in range(3):
        d, lam = rng.dirichlet(np.ones(m)), 1.0
        while kl((1 - lam) / m + lam * d) > eps:
            lam *= 0.5
        starts.append((1 - lam) / m + lam * d)
    best = None
    for x0 in starts:
        res = minimize(
            lambda u: float(c @ u),
            x0,
            jac=lambda u: c,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * m,
            constraints=[
                {"type": "eq", "fun": lambda u: u.sum() - 1.0, "jac": lambda u: np.ones(m)},
                {"type": "ineq", "fun": lambda u: eps - kl(u), "jac": lambda u: -(np.log(np.maximum(u, 1e-300)) + 1.0)},
            ],
            options={"ftol": 1e-15, "maxiter": 1000},
        )
        x = res.x
        if kl(x) <= eps + 1e-9 and abs(x.sum() - 1) < 1e-9 and (best is None or c @ x < c @ best):
            best = x
    assert best is not None
    u = np.zeros(K)
    u[others] = best
    return u


@pytest.mark.parametrize("K,eps", [(8, 0.3), (5, 0.05), (10, 1.0)])
def test_matches_slsqp(K, eps):
    g = torch.Generator().manual_seed(K)
    rng = np.random.default_rng(K)
    z = torch.randn(4, K, generator=g, dtype=torch.float64) * 2
    y = torch.randint(0, K, (4,), generator=g)
    u, T = optimal_smoothing(z, y, eps)
    for i in range(len(z)):
        ref = _slsqp(z[i].numpy(), int(y[i]), eps, rng)
        np.testing.assert_allclose(u[i].numpy(), ref, atol=1e-5)
    # The closed form is the tempered softmax of the non-target logits.
    zm = z.scatter(1, y[:, None], float("-inf"))
    torch.testing.assert_close(u, torch.softmax(zm / T[:, None], 1))


def test_simplex_zero_target_and_kl_equals_eps():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(64, 10, generator=g) * 3
    y = torch.randint(0, 10, (64,), generator=g)
    for eps in (0.01, 0.1, 0.5, 1.5):
        u, T = optimal_smoothing(z, y, eps)
        assert u.dtype == torch.float32
        assert torch.all(u >= 0)
        torch.testing.assert_close(u.sum(1), torch.ones(64))
        assert torch.all(u.gather(1, y[:, None]) == 0)
        torch.testing.assert_close(_kl(u, y), torch.full((64,), eps), atol=2e-5, rtol=0)
        assert torch.all(T > 0) and torch.all(torch.isfinite(T))


def test_eps_to_zero_is_uniform_and_large_eps_is_one_hot():
    g = torch.Generator().manual_seed(1)
    z = torch.randn(16, 6, generator=g, dtype=torch.float64)
    y = torch.randint(0, 6, (16,), generator=g)
    uniform = torch.full((16, 6), 1 / 5, dtype=torch.float64).scatter(1, y[:, None], 0.0)
    u0, T0 = optimal_smoothing(z, y, 0.0)
    torch.testing.assert_close(u0, uniform)
    assert torch.all(torch.isinf(T0))
    u_small, _ = optimal_smoothing(z, y, 1e-8)
    torch.testing.assert_close(u_small, uniform, atol=1e-3, rtol=0)
    u_big, _ = optimal_smoothing(z, y, math.log(5) - 1e-9)
    best = z.scatter(1, y[:, None], float("-inf")).argmax(1)
    torch.testing.assert_close(u_big, torch.nn.functional.one_hot(best, 6).double(), atol=1e-3, rtol=0)


def test_kl_is_monotone_in_temperature():
    g = torch.Generator().manual_seed(2)
    z = torch.randn(8, 7, generator=g, dtype=torch.float64)
    y = torch.randint(0, 7, (8,), generator=g)
    keep = torch.ones_like(z, dtype=torch.bool).scatter(1, y[:, None], False)
    betas = torch.logspace(-2, 1, 40, dtype=torch.float64)  # beta = 1/T increasing = T decreasing
    kls = torch.stack([_kl_to_uniform(z, keep, b.expand(8)) for b in betas], 1)
    assert torch.all(kls[:, 1:] > kls[:, :-1])


def test_shift_invariance():
    g = torch.Generator().manual_seed(3)
    z = torch.randn(32, 9, generator=g, dtype=torch.float64)
    y = torch.randint(0, 9, (32,), generator=g)
    shift = torch.randn(32, 1, generator=g, dtype=torch.float64) * 50
    u1, T1 = optimal_smoothing(z, y, 0.2)
    u2, T2 = optimal_smoothing(z + shift, y, 0.2)
    torch.testing.assert_close(u1, u2)
    torch.testing.assert_close(T1, T2)


def test_small_eps_temperature_approaches_the_exact_one():
    g = torch.Generator().manual_seed(4)
    z = torch.randn(32, 8, generator=g, dtype=torch.float64)
    y = torch.randint(0, 8, (32,), generator=g)
    for eps, rtol in ((1e-2, 0.1), (1e-4, 0.01)):  # the error of the quadratic approximation is O(sqrt(eps))
        _, T = optimal_smoothing(z, y, eps)
        _, T_approx = optimal_smoothing(z, y, eps, solver="small_eps")
        torch.testing.assert_close(T_approx, T, rtol=rtol, atol=0)
    _, T_fixed = optimal_smoothing(z, y, 0.3, solver="fixed", temperature=2.5)
    assert torch.all(T_fixed == 2.5)


def _method(**opts):
    ctx = MethodContext(
        num_classes=5,
        n_total=20,
        feature_dim=4,
        input_shape=(4,),
        device=torch.device("cpu"),
        seed=0,
        epochs=1,
        n_labeled=20,
        n_unlabeled=0,
    )
    return LABO(C.build(LABO.Config, opts), ctx)


def test_envelope_gradient_matches_finite_difference_of_the_value():
    # V(W) = min_u L(W, u): its derivative equals the gradient of L with u* held fixed (Danskin).
    g = torch.Generator().manual_seed(5)
    x = torch.randn(12, 4, generator=g, dtype=torch.float64)
    y = torch.randint(0, 5, (12,), generator=g)
    W = torch.randn(5, 4, generator=g, dtype=torch.float64, requires_grad=True)
    # Full fp64 resolution: with fewer bisection steps u* is a step function of W and FD sees the steps.
    m = _method(alpha=0.4, eps=0.2, bisection_steps=60)
    batch = Batch(x, y, torch.arange(12))

    def value(Wv):
        return m.loss(batch, (x, x @ Wv.T), 0).loss

    (grad,) = torch.autograd.grad(value(W), [W])
    fd = torch.zeros_like(W)
    h = 1e-5
    with torch.no_grad():
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                Wp, Wm = W.detach().clone(), W.detach().clone()
                Wp[i, j] += h
                Wm[i, j] -= h
                fd[i, j] = (value(Wp) - value(Wm)) / (2 * h)
    torch.testing.assert_close(grad, fd, atol=1e-7, rtol=1e-6)
    # Differentiating through u* would add a term; the detached gradient differs from ignoring u entirely.
    m0 = _method(alpha=0.0)
    (g0,) = torch.autograd.grad(m0.loss(batch, (x, x @ W.T), 0).loss, [W])
    assert not torch.allclose(g0, grad)


def test_method_outputs():
    assert METHODS.get("labo") is LABO and LABO.help
    m = _method()
    g = torch.Generator().manual_seed(6)
    logits = torch.randn(8, 5, generator=g, requires_grad=True)
    y = torch.randint(0, 5, (8,), generator=g)
    res = m.loss(Batch(torch.zeros(8, 4), y, torch.arange(8)), (torch.zeros(8, 4), logits), 0)
    res.loss.backward()
    assert torch.isfinite(res.loss) and logits.grad is not None
    assert set(res.per_sample) == {"loss", "labo_temperature", "labo_entropy"}
    assert all(v.shape == (8,) for v in res.per_sample.values())
    assert res.scalars["kl_realized"].item() == pytest.approx(m.cfg.eps, abs=1e-4)
    with pytest.raises(UserError):
        C.build(LABO.Config, {"solver": "nope"})


def test_training_default_of_16_bisection_steps_is_close_to_the_exact_solution():
    g = torch.Generator().manual_seed(11)
    z = torch.randn(256, 10, generator=g) * 3
    y = torch.randint(0, 10, (256,), generator=g)
    u_full, T_full = optimal_smoothing(z, y, 0.1)
    u_16, T_16 = optimal_smoothing(z, y, 0.1, steps=16)
    # 16 halvings of a width-32 bracket in log(1/T): |log T_16 - log T| <= 32 / 2^17 ≈ 2.4e-4.
    assert ((T_16 / T_full).log().abs() <= 32 / 2**17 + 1e-6).all()
    assert (u_16 - u_full).abs().max() < 1e-3
