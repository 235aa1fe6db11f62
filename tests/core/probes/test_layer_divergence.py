"""The layer divergence is CLID for the output pair, and a permutation-invariant cross-entropy for hidden pairs."""

import numpy as np
import pytest
import torch

from core.clid import clid, feature_neighbours, output_affinities
from core.probes.layer_divergence import LayerDivergence, cross_layer_divergence, hidden_affinities, project


def test_output_pair_is_clid():
    g = torch.Generator().manual_seed(0)
    h, z = torch.randn(20, 7, generator=g), torch.randn(20, 4, generator=g)
    d = cross_layer_divergence(feature_neighbours(h, 0.5), output_affinities(z))
    assert float(d) == pytest.approx(float(clid(h, z, 0.5)), rel=1e-6)


def test_hidden_affinities_and_permutation():
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(15, 9, generator=g), torch.relu(torch.randn(15, 5, generator=g))
    W = hidden_affinities(b)
    assert torch.all(W >= 0) and torch.allclose(W.sum(1), torch.ones(15))
    perm = torch.randperm(15, generator=g)
    d = cross_layer_divergence(feature_neighbours(a, 0.5), W)
    dp = cross_layer_divergence(feature_neighbours(a[perm], 0.5), hidden_affinities(b[perm]))
    assert float(d) == pytest.approx(float(dp), rel=1e-6)


def test_projection_keeps_cosines_roughly():
    g = torch.Generator().manual_seed(2)
    x = torch.randn(10, 5000, generator=g)
    p = project(x, 2048, seed=0)
    assert p.shape == (10, 2048) and torch.equal(p, project(x, 2048, seed=0))
    c = torch.nn.functional.normalize(x, dim=1) @ torch.nn.functional.normalize(x, dim=1).T
    cp = torch.nn.functional.normalize(p, dim=1) @ torch.nn.functional.normalize(p, dim=1).T
    assert (c - cp).abs().max() < 0.15


def test_probe_pairs_match_layers(make_ctx):
    model, ctx = make_ctx("mlp")
    res = LayerDivergence(LayerDivergence.Config(chunk=20, chunks=3)).run(ctx)
    assert list(res.arrays["pair_names"]) == ["h1>h2", "h2>logits"]
    pos = np.isin(ctx.idx, res.arrays["batch_idx"])
    x = ctx.x[torch.as_tensor(np.flatnonzero(pos))]
    with torch.no_grad():
        f, z = model(x)
    want = np.mean([float(clid(f[s : s + 20], z[s : s + 20], 0.5)) for s in range(0, 60, 20)])
    assert res.scalars["clid"] == pytest.approx(want, rel=1e-5)
    assert res.arrays["S"].shape == (20, 20) and np.all(np.diff(res.arrays["heat_labels"]) >= 0)
