"""Layer-embedding divergence: CLID (Hu et al., KDD 2025; METHODS.md section 4) between the penultimate and
output layers on a fixed probe batch, for every method, and the same divergence between consecutive hidden layers.

Definition for a pair of layers (a, b), on a batch of B samples: the feature-side neighbour distribution
S^a = rowsoftmax(relu(âᵢ·âⱼ)/τ) of layer a (exactly CLID's S), against layer b's row-normalized affinities
W̃^b_ij = relu(b̂ᵢ·b̂ⱼ) / Σ_k relu(b̂ᵢ·b̂_k), where x̂ is x / ‖x‖ and the diagonal is 1;
D(a, b) = mean_i Σ_j W̃^b_ij (−log(S^a_ij + 1e−7)), the cross-entropy of layer b's rows against layer a's.
For b = the output layer the affinities are those of the probability vectors, and D is
`core.methods.clid_mu.clid(features, logits, tau)` itself. Layers wider than `max_dim` are first mapped to
`max_dim` dimensions by a fixed Gaussian projection (cosines kept approximately, Johnson–Lindenstrauss).
CLID's scale depends on B, so the fixed batch is cut into chunks of `chunk` samples and chunk values averaged.

Artifact `artifacts/layer_divergence/eNNNNN.npz` (L layers from `model.layers`, C chunk size):
    layer_names (L,) str      h1 .. h<L-1>, logits;  layer_dims (L,) int64 (widths before projection)
    pair_names (L-1,) str     "h1>h2", ..., "h<L-1>>logits";  divergence (L-1,) float64 (last = CLID)
    S (C, C) float32          S of the penultimate layer on the first chunk, rows sorted by observed class
    W (C, C) float32          W̃ of the outputs on the same chunk and order;  heat_labels (C,) int64, heat_idx (C,)
    batch_idx (n,) int64      dataset indices of the fixed probe batch
Scalars: clid (penultimate vs output), div_h<i>_h<i+1> for each hidden pair.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
import torch.nn.functional as F

from core.clid import CLID_EPS, clid, feature_neighbours, output_affinities
from core.config import opt
from core.probes._threads import single_thread
from core.probes.base import Probe, ProbeContext, ProbeResult
from core.registry import register_probe


def hidden_affinities(acts: torch.Tensor) -> torch.Tensor:
    """W̃ (B, B) of a hidden layer's activations (B, D): relu of cosine similarities, rows summing to 1.

    The diagonal is 1, as for CLID's output affinities, also for an all-zero (dead) activation vector.
    """
    h = F.normalize(acts.float(), dim=1)
    w = (h @ h.T).clamp(min=0)
    w.fill_diagonal_(1.0)
    return w / w.sum(1, keepdim=True)


def cross_layer_divergence(S: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """mean_i Σ_j W_ij (−log(S_ij + 1e−7)): the cross-entropy of W's rows against S's rows (a scalar)."""
    return (W * -torch.log(S + CLID_EPS)).sum(1).mean()


def project(acts: torch.Tensor, max_dim: int, seed: int) -> torch.Tensor:
    """acts (B, D) -> (B, min(D, max_dim)) by a fixed Gaussian map (same seed, same map, every epoch)."""
    if acts.shape[1] <= max_dim:
        return acts
    g = torch.Generator().manual_seed(seed * 1_000_003 + acts.shape[1])
    R = torch.randn(acts.shape[1], max_dim, generator=g) / max_dim**0.5
    return acts.float() @ R.to(acts.device)


@register_probe("layer_divergence")
class LayerDivergence(Probe):
    help = "cross-layer information divergence (CLID) penultimate vs output, and between consecutive hidden layers"
    help_ja = "層間情報ダイバージェンス（CLID）：最終層手前と出力の間、および連続する隠れ層の間"

    @dataclasses.dataclass(frozen=True)
    class Config:
        tau: float = opt(0.5, "temperature of the feature-side neighbour softmax", lo=0.0, lo_open=True, hi=100.0)
        chunk: int = opt(100, "samples per CLID evaluation (CLID's scale depends on it)", lo=2, hi=5000)
        chunks: int = opt(3, "chunks in the fixed probe batch (averaged)", lo=1, hi=100)
        max_dim: int = opt(4096, "wider layers are randomly projected to this many dimensions", lo=16, hi=1_000_000)

    def run(self, ctx: ProbeContext) -> ProbeResult:
        cfg = self.cfg
        n = len(ctx.idx)
        rng = np.random.default_rng(np.random.SeedSequence([ctx.seed, 0x1A7E5]))
        pos = np.sort(rng.permutation(n)[: min(n, cfg.chunk * cfg.chunks)])
        chunk = min(cfg.chunk, len(pos))
        x = ctx.x[torch.as_tensor(pos, device=ctx.x.device)]
        with torch.no_grad():
            acts = ctx.model.layers(x)
        dims = [a.shape[1] for a in acts]
        acts = [project(a.float(), cfg.max_dim, ctx.seed) for a in acts[:-1]] + [acts[-1].float()]
        starts = list(range(0, len(pos) - chunk + 1, chunk))
        with single_thread():
            return self._divergences(ctx, acts, dims, pos, chunk, starts, x)

    def _divergences(self, ctx, acts, dims, pos, chunk, starts, x) -> ProbeResult:
        cfg = self.cfg
        L = len(acts)
        names = [f"h{i + 1}" for i in range(L - 1)] + ["logits"]
        pairs = [f"{names[i]}>{names[i + 1]}" for i in range(L - 1)]
        div = np.zeros(L - 1)
        for s in starts:
            sl = slice(s, s + chunk)
            S_prev = feature_neighbours(acts[0][sl], cfg.tau)
            for i in range(L - 1):
                if i == L - 2:
                    div[i] += float(clid(acts[i][sl], acts[i + 1][sl], cfg.tau))
                else:
                    div[i] += float(cross_layer_divergence(S_prev, hidden_affinities(acts[i + 1][sl])))
                    S_prev = feature_neighbours(acts[i + 1][sl], cfg.tau)
        div /= len(starts)
        scalars = {"clid": float(div[-1])}
        for i in range(L - 2):
            scalars[f"div_{names[i]}_{names[i + 1]}"] = float(div[i])
        first = np.arange(chunk)
        y_first = np.asarray(ctx.y_obs, np.int64)[pos[first]]
        order = np.argsort(y_first, kind="stable")
        o = torch.as_tensor(order, device=x.device)
        S = feature_neighbours(acts[-2][:chunk][o], cfg.tau)
        W = output_affinities(acts[-1][:chunk][o])
        idx = np.asarray(ctx.idx, np.int64)
        arrays = {
            "layer_names": np.asarray(names),
            "layer_dims": np.asarray(dims, np.int64),
            "pair_names": np.asarray(pairs),
            "divergence": div,
            "S": S.cpu().numpy().astype(np.float32),
            "W": W.cpu().numpy().astype(np.float32),
            "heat_labels": y_first[order],
            "heat_idx": idx[pos[first]][order],
            "batch_idx": idx[pos],
        }
        return ProbeResult(scalars, arrays)
