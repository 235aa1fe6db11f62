"""`--model hf:<model id or folder>`: a pretrained Hugging Face backbone, frozen (default) or fine-tuned.

frozen: `adapt_data` runs the backbone once over the dataset (batched, no grad) and caches the pooled
features under `<runs_dir>/_features` per (data hash, model, weights revision, preprocessing); the
model itself is then only a `linear` or `mlp` head on those features, so every method and probe works
on them unchanged. finetune: the whole backbone trains with a linear head; preprocessing runs in forward.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import torch
from torch import nn

from core import config as C
from core.config import opt
from core.data._validate import standardize_columns
from core.data.base import Dataset
from core.errors import UserError
from core.models import hf_backbone as hb
from core.models.base import LabelModel
from core.registry import MODELS, register_model


def raw_pixels(ds: Dataset) -> np.ndarray:
    """Images (N, C, H, W) back in [0, 1]: undo the loader's standardization (`pixel_stats`), else min-max."""
    if ds.pixel_stats is not None:
        mean, std = ds.pixel_stats
        return np.clip(ds.X * std + mean, 0.0, 1.0).astype(np.float32)
    lo, hi = float(ds.X.min()), float(ds.X.max())
    return ((ds.X - lo) / (hi - lo if hi > lo else 1.0)).astype(np.float32)


@register_model("hf")
class HFBackbone(LabelModel):
    help = "pretrained Hugging Face backbone, --model hf:<model id or folder> (frozen features + head, or finetune)"
    arg_option = "source"  # `hf:<x>` is `--model hf --set model.source=<x>`
    suggested = hb.SUGGESTED_IMAGE

    @dataclasses.dataclass(frozen=True)
    class Config:
        source: str = opt(
            "",
            "hub model id (e.g. microsoft/resnet-18) or a folder written by save_pretrained",
        )
        mode: str = opt(
            "frozen",
            "frozen: features computed once and cached, a head trains on them; finetune: the whole network trains",
            choices=("frozen", "finetune"),
        )
        head: str = opt("linear", "head trained on frozen features", choices=("linear", "mlp"))
        head_width: int = opt(256, "hidden units of the mlp head", lo=1, hi=16384)
        image_size: int = opt(
            0,
            "side the images are fed at (0: the model's own processor size)",
            lo=0,
            hi=1024,
        )
        batch_size: int = opt(64, "images per batch in the backbone pass", lo=1, hi=4096)

    # -- hooks the engine calls (declared here, not looked up by name) ------------------------------
    @classmethod
    def check(cls, cfg) -> None:
        """Fast, before any run folder exists: the model can be found (cache or folder), else one line."""
        if not cfg.source:
            raise UserError("model 'hf' needs a source: --model hf:<model id or folder>")
        hb.locate(cfg.source)

    @classmethod
    def adapt_data(cls, ds: Dataset, cfg, runs_dir: str, device: torch.device) -> tuple[Dataset, dict]:
        """frozen: images -> cached pooled features (N, D); finetune: images back to [0, 1] pixels."""
        if ds.kind != "image":
            raise UserError(f"model 'hf' takes image data; '{ds.name}' is {ds.kind} data")
        if cfg.mode == "finetune":
            return dataclasses.replace(ds, X=raw_pixels(ds), pixel_stats=(0.0, 1.0)), {"mode": "finetune"}
        from core.features.cache import FeatureCache

        loc = hb.locate(cfg.source)
        if not loc.revision:  # first use of a hub model: download it now, so the key names its commit
            hb.load_backbone(cfg.source, "image", cfg.image_size, located=loc)
            loc = hb.locate(cfg.source)
        # Only the config and processor files are read here: on a cache hit the weights never load.
        pre = hb.load_preprocess(loc, cfg.image_size)
        parts = {
            "kind": "image-features",
            "data": ds.content_hash,
            **hb.feature_parts(loc, pre.ident(), hb.IMAGE_POOLING),
        }
        t0 = time.perf_counter()
        stats: dict = {}

        def compute() -> np.ndarray:
            x = raw_pixels(ds)
            t = time.perf_counter()
            bb = hb.load_backbone(cfg.source, "image", cfg.image_size, located=loc)
            stats["load_s"] = time.perf_counter() - t
            t = time.perf_counter()
            feats = hb.encode_images(bb, x, device, cfg.batch_size)
            stats["extract_s"] = time.perf_counter() - t
            stats["images_per_s"] = len(x) / max(stats["extract_s"], 1e-9)
            return feats.astype(np.float32)

        cache = FeatureCache(runs_dir)
        feats, hit = cache.get_or_compute(parts, compute)
        if not np.isfinite(feats).all():
            raise UserError(f"the backbone '{cfg.source}' produced non-finite features on this data")
        info = {
            "mode": "frozen",
            "cache": "hit" if hit else "computed",
            "cache_file": cache.path(parts),
            "feature_dim": int(feats.shape[1]),
            "preprocess": pre.ident(),
            "preprocess_origin": pre.origin,
            "revision": loc.revision,
            "seconds": time.perf_counter() - t0,
            **stats,
        }
        # Standardized per column (label-free, like an embeddings file), so heads train at the usual lr.
        out = dataclasses.replace(
            ds,
            X=standardize_columns(feats),
            kind="embedding",
            content_hash=ds.content_hash,
            pixel_stats=None,
        )
        return out, info

    # -- the network ---------------------------------------------------------------------------------
    def __init__(self, input_shape, num_classes, cfg):
        super().__init__()
        self.mode = cfg.mode
        if cfg.mode == "frozen":
            if len(input_shape) != 1:
                raise ValueError(f"hf (frozen) trains a head on feature vectors, got inputs of shape {input_shape}")
            head_cls = MODELS.get(cfg.head)
            head_opts = {"width": cfg.head_width, "depth": 1} if cfg.head == "mlp" else {}
            self.inner = head_cls(tuple(input_shape), num_classes, C.build(head_cls.Config, head_opts))
            self.feature_dim, self.head = self.inner.feature_dim, self.inner.head
            return
        bb = hb.load_backbone(cfg.source, "image", cfg.image_size)
        self.backbone, self.preprocess = bb.model.train(), bb.preprocess
        with torch.no_grad():
            probe = torch.zeros(1, input_shape[0], *input_shape[1:])
            self.feature_dim = int(hb.image_forward(self.backbone, self.preprocess(probe)).shape[1])
        self.head = nn.Linear(self.feature_dim, num_classes)

    def hidden(self, x):
        if self.mode == "frozen":
            return self.inner.hidden(x)
        return [hb.image_forward(self.backbone, self.preprocess(x))]
