"""Per-instance softness: how soft each sample's target or prediction is, clean vs flipped, for every method.

Every method gets the model's prediction entropy (normalized by log K); a method that stores per-sample
values (e.g. `labo_temperature`, `labo_entropy` for LABO, `loss`, `clid_weight`) gets those too, all but the
ones it declares as class indices (core/outputs.py).

Artifact `artifacts/smoothing/eNNNNN.npz` (V values, P probe samples, B bins):
    names (V,) str          "entropy" (model), then "method_<key>" for each of the method's per-sample values
    values (V, P) float32   raw values on the probe subset (NaN where the method has none yet)
    idx (P,) int64; flipped (P,) bool (all False without truth)
    hist_edges (V, B + 1) float64; hist_clean (V, B) int64; hist_flipped (V, B) int64  (flipped all 0 without truth)
    auroc (V,) float64      AUROC of the raw value as a detector of flipped labels (> 0.5: higher on flipped;
                            NaN without truth)
Scalars: mean_clean_<name>, mean_flipped_<name>, auroc_<name>, mean_<name> (all samples).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.config import opt
from core.outputs import CLASS
from core.probes.base import Probe, ProbeContext, ProbeResult
from core.registry import register_probe
from core.scores import auroc, model_scores


def clean_flipped_histograms(values: np.ndarray, flipped: np.ndarray, bins: int):
    """Shared bin edges (B + 1,) over the finite values, and counts (B,) for clean and flipped samples."""
    v = np.asarray(values, np.float64)
    ok = np.isfinite(v)
    if not ok.any():
        edges = np.linspace(0.0, 1.0, bins + 1)
    else:
        lo, hi = float(v[ok].min()), float(v[ok].max())
        edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    fl = np.asarray(flipped, bool)
    clean = np.histogram(v[ok & ~fl], edges)[0]
    flip = np.histogram(v[ok & fl], edges)[0]
    return edges, clean.astype(np.int64), flip.astype(np.int64)


@register_probe("smoothing")
class Smoothing(Probe):
    help = "per-sample softness (prediction entropy; LABO temperatures/entropies where present), clean vs flipped"
    help_ja = "サンプルごとの柔らかさ（予測エントロピー、あれば LABO の温度・エントロピー）、クリーン対反転"

    @dataclasses.dataclass(frozen=True)
    class Config:
        bins: int = opt(30, "histogram bins", lo=2, hi=500)

    def run(self, ctx: ProbeContext) -> ProbeResult:
        _, logits = ctx.forward()
        y_obs = np.asarray(ctx.y_obs, np.int64)
        vals = {"entropy": model_scores(logits, y_obs)["model_entropy"]}
        for key, v in sorted(ctx.per_sample.items()):
            spec = ctx.per_sample_meaning.get(key)
            if spec is None or spec.meaning == CLASS:  # class indices are not a softness
                continue
            sub = np.asarray(v, np.float64)[ctx.idx]
            if np.isfinite(sub).any():
                vals[f"method_{key}"] = sub
        names = list(vals)
        known = ctx.flipped is not None
        flipped = np.asarray(ctx.flipped, bool) if known else np.zeros(len(y_obs), bool)
        V = np.stack([np.asarray(vals[n], np.float64) for n in names])
        edges, hc, hf, au = [], [], [], []
        scalars: dict[str, float] = {}
        for n, v in zip(names, V):
            e, c, f = clean_flipped_histograms(v, flipped, self.cfg.bins)
            edges.append(e)
            hc.append(c)
            hf.append(f)
            a = auroc(v, flipped) if known else float("nan")
            au.append(a)
            ok = np.isfinite(v)
            scalars[f"mean_{n}"] = float(v[ok].mean())
            if known:
                for part, mask in (("clean", ~flipped), ("flipped", flipped)):
                    if (ok & mask).any():
                        scalars[f"mean_{part}_{n}"] = float(v[ok & mask].mean())
            if np.isfinite(a):
                scalars[f"auroc_{n}"] = a
        arrays = {
            "names": np.asarray(names),
            "values": V.astype(np.float32),
            "idx": np.asarray(ctx.idx, np.int64),
            "flipped": flipped,
            "hist_edges": np.stack(edges),
            "hist_clean": np.stack(hc),
            "hist_flipped": np.stack(hf),
            "auroc": np.asarray(au),
        }
        return ProbeResult(scalars, arrays)
