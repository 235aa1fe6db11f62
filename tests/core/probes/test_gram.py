"""label_averaging against the dense closed form and the block-Gram spectrum (METHODS.md section 3)."""

import numpy as np
import pytest

from core.data.gram_blocks import block_gram, block_gram_eigenvalues
from core.probes.gram import label_averaging, label_energy, stratified_sorted


def dense_rounds(X, y, K, lam, rounds):
    N = len(X)
    G = X @ X.T
    M = G @ np.linalg.inv(G + K * N * lam * np.eye(N))
    R = np.eye(K)[y] - 1.0 / K
    return np.stack([1.0 / K + np.linalg.matrix_power(M, t + 1) @ R for t in range(rounds + 1)])


@pytest.mark.parametrize("N,D", [(40, 7), (25, 60)])  # D < N and D > N
def test_matches_dense_closed_form(N, D):
    rng = np.random.default_rng(N + D)
    K, lam = 4, 3e-3
    X = rng.normal(size=(N, D))
    y = rng.integers(0, K, N)
    la = label_averaging(X, y, K, lam, rounds=3)
    np.testing.assert_allclose(la.soft_labels, dense_rounds(X, y, K, lam, 3), atol=1e-10)
    np.testing.assert_allclose(la.soft_labels.sum(2), 1.0, atol=1e-10)
    G_eig = np.sort(np.linalg.eigvalsh(X @ X.T))[::-1][: min(N, D)]
    np.testing.assert_allclose(la.spectrum, G_eig, atol=1e-9)
    assert np.all((la.shrink > 0) & (la.shrink < 1))


def test_block_gram_spectrum_and_rounds():
    K, n, c, d, lam = 3, 12, 0.4, 0.1, 1e-2
    G = block_gram(K, n, c, d)
    w, V = np.linalg.eigh(G)
    X = V * np.sqrt(np.clip(w, 0, None))
    y = np.repeat(np.arange(K), n)
    y_noisy = y.copy()
    y_noisy[::5] = (y_noisy[::5] + 1) % K
    la = label_averaging(X, y_noisy, K, lam, rounds=4)
    expected = np.sort(np.concatenate([np.full(m, v) for v, m in block_gram_eigenvalues(K, n, c, d).items()]))[::-1]
    np.testing.assert_allclose(la.spectrum, expected, atol=1e-9)
    np.testing.assert_allclose(la.soft_labels, dense_rounds(X, y_noisy, K, lam, 4), atol=1e-10)
    # Within-class directions shrink faster than class contrasts, so flips are averaged away over rounds.
    acc = (la.soft_labels.argmax(2) == y[None]).mean(1)
    assert acc[-1] > acc[0] and acc[-1] == 1.0


def test_energy_and_heatmap_order():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 30))  # full rank: energies sum to 1
    y = rng.integers(0, 3, 30)
    la = label_averaging(X, y, 3, 1e-3, 0)
    assert label_energy(la.basis, y, 3).sum() == pytest.approx(1.0)
    pos = stratified_sorted(np.repeat([2, 0, 1], 50), 30)
    assert len(pos) == 30 and np.all(np.diff(np.repeat([2, 0, 1], 50)[pos]) >= 0)
