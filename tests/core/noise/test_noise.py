"""Noise kinds: realized rates, the flip mask, determinism and matrix validation."""

import numpy as np
import pytest

from core.errors import UserError
from core.noise import apply_noise, transition_matrix
from core.registry import NOISE

K = 5
Y = np.repeat(np.arange(K), 400)


@pytest.mark.parametrize("kind", ["symmetric", "pairflip", "instance"])
@pytest.mark.parametrize("rate", [0.1, 0.4])
def test_realized_rate_within_sampling_error(kind, rate):
    feats = np.random.default_rng(0).normal(size=(len(Y), 6))
    obs, flipped = apply_noise(Y, K, kind, rate, seed=3, features=feats)
    sd = np.sqrt(rate * (1 - rate) / len(Y))
    # instance noise draws per-sample rates around `rate` (sd 0.1), which widens the spread.
    tol = 4 * sd + (0.02 if kind == "instance" else 0)
    assert abs(flipped.mean() - rate) < tol
    assert np.array_equal(flipped, obs != Y)


def test_symmetric_never_flips_to_same_class_and_is_uniform_over_others():
    obs, flipped = apply_noise(Y, K, "symmetric", 0.6, seed=0)
    assert (obs[flipped] != Y[flipped]).all()
    T = transition_matrix(Y, obs, K)
    off = T[~np.eye(K, dtype=bool)].reshape(K, K - 1)
    assert np.allclose(off, 0.6 / (K - 1), atol=0.05)


def test_pairflip_goes_to_next_class():
    obs, flipped = apply_noise(Y, K, "pairflip", 0.3, seed=1)
    assert np.array_equal(obs[flipped], (Y[flipped] + 1) % K)


@pytest.mark.parametrize("kind", sorted(NOISE.names()))
def test_every_kind_is_deterministic_in_the_seed(kind):
    feats = np.random.default_rng(0).normal(size=(len(Y), 4))
    opts = {"features": feats, "matrix": (np.eye(K) * 0.5 + 0.5 / K).tolist()}
    a = apply_noise(Y, K, kind, 0.3, seed=7, **opts)[0]
    b = apply_noise(Y, K, kind, 0.3, seed=7, **opts)[0]
    c = apply_noise(Y, K, kind, 0.3, seed=8, **opts)[0]
    assert np.array_equal(a, b)
    if kind != "none":
        assert not np.array_equal(a, c)


def test_matrix_noise_follows_the_matrix():
    T = np.full((K, K), 0.05)
    np.fill_diagonal(T, 0.8)
    obs, _ = apply_noise(Y, K, "matrix", 0.0, seed=0, matrix=T.tolist())
    assert np.allclose(transition_matrix(Y, obs, K), T, atol=0.05)


@pytest.mark.parametrize(
    "bad,msg",
    [
        ([[0.5, 0.4], [0.5, 0.5]], "sums to"),
        ([[1.0]], "shape"),
        ([[1.5, -0.5], [0, 1]], "non-negative"),
        ("not json", "JSON"),
    ],
)
def test_matrix_rows_are_validated(bad, msg):
    with pytest.raises(UserError, match=msg):
        apply_noise(np.array([0, 1, 0, 1]), 2, "matrix", 0.0, seed=0, matrix=bad)


def test_rate_out_of_range_is_refused():
    with pytest.raises(UserError, match="out of range"):
        apply_noise(Y, K, "symmetric", 1.0, seed=0)
