"""Provider of pretrained Hugging Face `transformers` backbones: locate (cache or local folder), load
(safetensors only, no remote code), preprocess and encode to pooled features.

Image backbones: `AutoModel` (+ `AutoImageProcessor` where the model has one) -> `encode_images`.
Text encoders: `AutoModel` + `AutoTokenizer` -> `encode_texts` (mean-pooled last hidden state).
Offline with nothing cached, `locate` fails in well under a second with one line; it never waits on
the hub client's retries.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import os
import socket
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np
import torch
import torch.nn.functional as F

from core.errors import UserError

# Stated default preprocessing when a model has no processor config (e.g. a team's own save_pretrained folder).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
DEFAULT_SIDE = 224
HUB_PROBE_TIMEOUT_S = 1.5

# Good small image backbones the Set up page offers (CPU first, then larger ones for a GPU).
SUGGESTED_IMAGE = (
    ("microsoft/resnet-18", "ResNet-18, ImageNet-1k, 11M parameters: fast on a CPU"),
    (
        "facebook/convnext-tiny-224",
        "ConvNeXt-T, ImageNet-1k, 28M: strong features, still CPU-friendly",
    ),
    (
        "facebook/dinov2-small",
        "DINOv2 ViT-S/14, self-supervised, 22M: excellent linear-probe features",
    ),
    ("google/vit-base-patch16-224", "ViT-B/16, ImageNet-21k, 86M: better on a GPU"),
    (
        "openai/clip-vit-base-patch32",
        "CLIP ViT-B/32 vision tower, 88M: broad photo features",
    ),
)


def _quiet() -> None:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    try:
        from transformers.utils import logging as tlog

        tlog.set_verbosity_error()
        tlog.disable_progress_bar()
    except (
        ImportError,
        AttributeError,
    ):  # logging tweaks only; loading works without them
        return


@dataclasses.dataclass(frozen=True)
class Located:
    """Where a model's files are: `ref` is a local folder or a hub id; `revision` identifies the weights."""

    source: str
    ref: str
    local_only: bool
    revision: str


def _looks_like_path(source: str) -> bool:
    return source.startswith(("/", ".", "~")) or os.path.isdir(source) or source.count("/") > 1


def _local_revision(folder: str) -> str:
    """config.json bytes + name, size and mtime of each weights file: changes when the weights are re-saved."""
    h = hashlib.sha256()
    with open(os.path.join(folder, "config.json"), "rb") as f:
        h.update(f.read())
    for p in sorted(glob.glob(os.path.join(folder, "*.safetensors"))):
        st = os.stat(p)
        h.update(f"{os.path.basename(p)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return "local-" + h.hexdigest()[:16]


def _hub_reachable() -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in (
        "1",
        "true",
        "yes",
        "on",
    ):
        return False
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=HUB_PROBE_TIMEOUT_S).close()
        return True
    except OSError:
        return False


def _cached_revision(repo_id: str) -> str | None:
    """The commit of a hub model whose config and safetensors weights are both in the local cache."""
    from huggingface_hub import try_to_load_from_cache

    cfg = try_to_load_from_cache(repo_id, "config.json")
    if not isinstance(cfg, str):
        return None
    for weights in ("model.safetensors", "model.safetensors.index.json"):
        w = try_to_load_from_cache(repo_id, weights)
        if isinstance(w, str):
            parts = cfg.replace("\\", "/").split("/snapshots/")
            return parts[1].split("/")[0] if len(parts) == 2 else "cached"
    return None


def locate(source: str) -> Located:
    """Find `source` (a local folder or a hub id) without network where possible; one-line UserError if not."""
    source = source.strip()
    if not source:
        raise UserError("--model hf: needs a model id or a folder, e.g. hf:microsoft/resnet-18 or hf:/path/to/dir")
    folder = os.path.expanduser(source)
    if _looks_like_path(source):
        if not os.path.isdir(folder):
            raise UserError(
                f"model folder '{source}' does not exist (a local model is a folder with config.json "
                "and model.safetensors, as save_pretrained writes it)"
            )
        if not os.path.isfile(os.path.join(folder, "config.json")):
            raise UserError(f"model folder '{source}' has no config.json (save the model with save_pretrained)")
        if not glob.glob(os.path.join(folder, "*.safetensors")):
            raise UserError(
                f"model folder '{source}' has no .safetensors weights; labelscope loads safetensors "
                "only (never pickled .bin files): save with save_pretrained(safe_serialization=True)"
            )
        return Located(source, os.path.abspath(folder), True, _local_revision(folder))
    rev = _cached_revision(source)
    if rev is not None:
        return Located(source, source, True, rev)
    if not _hub_reachable():
        raise UserError(
            f"model '{source}' is not in the Hugging Face cache and the hub cannot be reached "
            "(offline): download it once on a machine with internet, or give a local folder "
            "with config.json + model.safetensors as --model hf:/path/to/folder"
        )
    return Located(source, source, False, "")


@dataclasses.dataclass(frozen=True)
class ImagePreprocess:
    """Resize (bilinear, antialiased) to `resize`, center-crop to `crop`, normalize per channel. `origin` says
    where the values came from (the model's processor, or the stated default)."""

    resize: int
    crop: int
    mean: tuple[float, ...]
    std: tuple[float, ...]
    channels: int
    origin: str

    def ident(self) -> str:
        return (
            f"resize{self.resize}/crop{self.crop}/mean{','.join(f'{m:.4g}' for m in self.mean)}/"
            f"std{','.join(f'{s:.4g}' for s in self.std)}/c{self.channels}/bilinear-aa"
        )

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """x (B, C, H, W) in [0, 1] -> (B, channels, crop, crop) normalized; grey is repeated to RGB."""
        if x.shape[1] == 1 and self.channels == 3:
            x = x.expand(-1, 3, -1, -1)
        elif x.shape[1] == 3 and self.channels == 1:
            x = x.mean(1, keepdim=True)
        h, w = x.shape[-2:]
        s = self.resize / min(h, w)  # shortest edge to `resize`, keeping the aspect ratio
        size = (max(self.crop, round(h * s)), max(self.crop, round(w * s)))
        if size != (h, w):
            x = F.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=True)
        top, left = (size[0] - self.crop) // 2, (size[1] - self.crop) // 2
        x = x[..., top : top + self.crop, left : left + self.crop]
        mean = torch.tensor(self.mean, dtype=x.dtype, device=x.device).view(1, -1, 1, 1)
        std = torch.tensor(self.std, dtype=x.dtype, device=x.device).view(1, -1, 1, 1)
        return (x - mean) / std


def _size_of(size: Any, *keys: str) -> int | None:
    for k in keys:
        v = size.get(k) if isinstance(size, dict) else getattr(size, k, None)
        if v:
            return int(v)
    return None


def _channels(config) -> int:
    for c in (config, getattr(config, "vision_config", None)):
        if c is not None and getattr(c, "num_channels", None):
            return int(c.num_channels)
    return 3


def image_preprocess(processor, config, side: int = 0) -> ImagePreprocess:
    """The model's own processor values (size, crop, mean, std) or the stated default; `side` > 0 overrides
    the final size (for speed on a CPU)."""
    ch = _channels(config)
    if processor is not None:
        size = getattr(processor, "size", None) or {}
        crop = (
            _size_of(getattr(processor, "crop_size", None) or {}, "height", "width")
            if getattr(processor, "do_center_crop", False)
            else None
        )
        short = _size_of(size, "shortest_edge", "height", "width") or DEFAULT_SIDE
        crop_pct = getattr(processor, "crop_pct", None)
        if crop is None and crop_pct:  # ConvNeXt-style: resize to side/crop_pct, then crop to side
            crop, short = short, int(short / crop_pct)
        crop = crop or short
        mean = tuple(getattr(processor, "image_mean", None) or IMAGENET_MEAN)
        std = tuple(getattr(processor, "image_std", None) or IMAGENET_STD)
        if not getattr(processor, "do_normalize", True):
            mean, std = (0.0,) * len(mean), (1.0,) * len(std)
        origin = f"the model's image processor ({type(processor).__name__})"
    else:
        vis = getattr(config, "vision_config", None) or config
        short = crop = int(getattr(vis, "image_size", 0) or DEFAULT_SIDE)
        mean, std = IMAGENET_MEAN, IMAGENET_STD
        origin = f"default (no processor config): resize to {crop}, ImageNet mean/std"
    if side:
        short, crop = round(side * short / crop), side
        origin += f", resized to {side} by option"
    if len(mean) != ch:
        mean, std = (float(np.mean(mean)),) * ch, (float(np.mean(std)),) * ch
    return ImagePreprocess(
        int(short),
        int(crop),
        tuple(map(float, mean)),
        tuple(map(float, std)),
        ch,
        origin,
    )


def feature_parts(loc: Located, preprocess: str, pooling: str) -> dict:
    """Cache-key parts naming the weights, the preprocessing and the pooling (add the data hash to them)."""
    return {
        "model": loc.source,
        "revision": loc.revision,
        "preprocess": preprocess,
        "pooling": pooling,
    }


@dataclasses.dataclass
class Backbone:
    """A loaded backbone: `model` (eval mode), its `located` files, and either `preprocess` (image) or
    `tokenizer` (text)."""

    located: Located
    model: torch.nn.Module
    kind: str
    preprocess: ImagePreprocess | None = None
    tokenizer: Any = None

    def parts(self) -> dict:
        if self.kind == "image":
            return feature_parts(self.located, self.preprocess.ident(), IMAGE_POOLING)
        return feature_parts(self.located, f"tokenizer:{type(self.tokenizer).__name__}", TEXT_POOLING)


IMAGE_POOLING = "pooler-or-mean"
TEXT_POOLING = "mean-masked"


def _from_pretrained(fn, loc: Located, source: str, what: str, **kw):
    try:
        return fn(loc.ref, local_files_only=loc.local_only, **kw)
    except (OSError, ValueError, KeyError) as e:
        raise UserError(
            f"cannot load the {what} of model '{source}' with transformers "
            f"({type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''})"
        ) from None


def load_preprocess(loc: Located, side: int = 0) -> ImagePreprocess:
    """The image preprocessing of a located model from its config and processor files only (no weights)."""
    _quiet()
    from transformers import AutoConfig, AutoImageProcessor

    config = _from_pretrained(AutoConfig.from_pretrained, loc, loc.source, "config")
    try:
        processor = AutoImageProcessor.from_pretrained(loc.ref, local_files_only=loc.local_only)
    except (
        OSError,
        ValueError,
        KeyError,
        ImportError,
    ):  # no preprocessor_config.json: the stated default applies
        processor = None
    return image_preprocess(processor, config, side)


def load_backbone(source: str, kind: str = "image", side: int = 0, located: Located | None = None) -> Backbone:
    """Load `source` (hub id or folder) for `kind` 'image' or 'text'; safetensors weights only, no remote code."""
    _quiet()
    loc = located or locate(source)
    from transformers import AutoModel

    model = _from_pretrained(AutoModel.from_pretrained, loc, source, "weights", use_safetensors=True)
    if not loc.revision:  # just downloaded: the cache now knows the commit
        loc = dataclasses.replace(loc, revision=_cached_revision(source) or "hub")
    model.eval()
    if kind == "text":
        from transformers import AutoTokenizer

        tok = _from_pretrained(AutoTokenizer.from_pretrained, loc, source, "tokenizer")
        return Backbone(loc, model, "text", tokenizer=tok)
    return Backbone(loc, model, "image", preprocess=load_preprocess(loc, side))


def _pooled(out: Any) -> torch.Tensor:
    """(B, D) from a model output: its pooler where it has one, else the mean over positions/tokens."""
    if isinstance(out, torch.Tensor):
        t = out
    else:
        t = getattr(out, "pooler_output", None)
        if t is None:
            t = getattr(out, "image_embeds", None)
        if t is None:
            h = out.last_hidden_state
            t = h.mean((2, 3)) if h.dim() == 4 else h.mean(1)
    return t.flatten(1)


def image_forward(model: torch.nn.Module, pixel_values: torch.Tensor) -> torch.Tensor:
    """Pooled features (B, D) of preprocessed pixels (B, C, S, S); CLIP/SigLIP-style models use their vision tower."""
    if hasattr(model, "get_image_features"):
        return _pooled(model.get_image_features(pixel_values=pixel_values))
    return _pooled(model(pixel_values=pixel_values))


@torch.no_grad()
def encode_images(
    bb: Backbone,
    x: np.ndarray | torch.Tensor,
    device: torch.device,
    batch_size: int = 64,
) -> np.ndarray:
    """x (N, C, H, W) pixels in [0, 1] -> pooled features (N, D) float32, batched, no grad."""
    model = bb.model.to(device)
    out = []
    for i in range(0, len(x), batch_size):
        xb = torch.as_tensor(x[i : i + batch_size], dtype=torch.float32, device=device)
        out.append(image_forward(model, bb.preprocess(xb)).float().cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, 0), np.float32)


@torch.no_grad()
def encode_texts(
    bb: Backbone,
    texts: Sequence[str],
    device: torch.device,
    batch_size: int = 32,
    max_length: int = 256,
) -> np.ndarray:
    """texts (N,) -> mean of the last hidden state over real tokens (N, D) float32."""
    model = bb.model.to(device)
    out = []
    for i in range(0, len(texts), batch_size):
        enc = bb.tokenizer(
            list(texts[i : i + batch_size]),
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="pt",
        ).to(device)
        h = model(**enc).last_hidden_state
        m = enc["attention_mask"].unsqueeze(-1).to(h.dtype)
        out.append(((h * m).sum(1) / m.sum(1).clamp(min=1)).float().cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, 0), np.float32)
