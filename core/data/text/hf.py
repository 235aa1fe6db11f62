"""Hugging Face `transformers` text encoder: `hf:<model id or folder>`, mean of the last hidden state over real
tokens (the pooling of sentence-transformers models such as all-MiniLM-L6-v2). Loaded through the same provider
as the image backbones (`core.models.hf_backbone`): safetensors only, offline failure in one fast line."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from core.config import opt
from core.data.text.base import TextEncoder
from core.errors import UserError
from core.registry import register_text_encoder


@register_text_encoder("hf")
class HfText(TextEncoder):
    help = "hf:<model id or folder>: a transformers encoder (AutoModel + AutoTokenizer), mean-pooled"

    @dataclasses.dataclass(frozen=True)
    class Config:
        max_tokens: int = opt(128, "texts are cut to this many tokens", lo=8, hi=8192)
        batch_size: int = opt(32, "texts per forward pass", lo=1, hi=4096)

    def __init__(self, arg: str, cfg):
        from core.models.hf_backbone import locate

        if not arg:
            raise UserError(
                "text_encoder=hf: needs a model id or a folder, e.g. "
                "hf:sentence-transformers/all-MiniLM-L6-v2 or hf:/path/to/folder"
            )
        super().__init__(arg, cfg)
        self.located = locate(arg)  # before any file is read: offline without the weights fails here, fast

    def parts(self) -> dict:
        from core.models.hf_backbone import TEXT_POOLING, feature_parts

        # The weights' revision, not just the name: re-saved or updated weights give new features.
        pre = f"tokenizer:auto/max_tokens={self.cfg.max_tokens}"
        return {**super().parts(), **feature_parts(self.located, pre, TEXT_POOLING)}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from core.engine.device import pick_device
        from core.models.hf_backbone import encode_texts, load_backbone

        bb = load_backbone(self.arg, "text", located=self.located)
        return encode_texts(bb, list(texts), pick_device("auto"), self.cfg.batch_size, self.cfg.max_tokens).astype(
            np.float32
        )
