"""The text-encoder plug-in: `encode(texts) -> (N, D)` fitted without labels, plus the parts that name it in the
feature cache. Registered as `@register_text_encoder(name)`; `text_encoder='name:arg'` picks one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from core import config as C
from core.errors import UserError


class TextEncoder:
    """Base: `name`, `help`, a frozen `Config`; built with the part after 'name:' (e.g. a model id) and a Config."""

    name = ""
    help = ""
    Config: type = C.EmptyConfig
    version = 1  # bump when the same options would give different features, so old cache entries are not reused

    def __init__(self, arg: str, cfg: Any):
        self.arg, self.cfg = arg, cfg

    def parts(self) -> dict:
        """What determines the features besides the texts (the feature-cache key)."""
        return {"encoder": self.name, "arg": self.arg, "version": self.version, "options": C.to_dict(self.cfg)}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """texts (N,) -> features (N, D) float32; must not depend on labels."""
        raise NotImplementedError


def make_encoder(spec: str, options: dict | str | None = None) -> TextEncoder:
    """'tfidf' / 'hf:<model id or folder>' and its options -> an encoder (one UserError on a bad name or option)."""
    from core.registry import TEXT_ENCODERS

    name, _, arg = (spec or "").strip().partition(":")
    cls = TEXT_ENCODERS.get(name.strip())
    if isinstance(options, str):  # `--set text_options={...}` arrives as text
        try:
            options = json.loads(options) if options.strip() else {}
        except json.JSONDecodeError:
            raise UserError(f"text_options must be a JSON object, got '{options}'") from None
    if not isinstance(options, dict):
        raise UserError(f"text_options must be a JSON object, got '{options}'")
    return cls(arg.strip(), C.build(cls.Config, options))
