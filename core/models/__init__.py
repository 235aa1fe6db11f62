"""Models: every model maps a batch to (penultimate features, logits) in one forward pass."""

from __future__ import annotations

from core import config as C
from core.errors import UserError
from core.models.base import LabelModel  # noqa: F401
from core.registry import MODELS


def build_model(name: str, input_shape: tuple[int, ...], num_classes: int, options: dict | None = None):
    """A registered model for inputs of `input_shape` (without batch dim) and `num_classes` outputs."""
    cls = MODELS.get(name)
    cfg = C.build(cls.Config, options or {})
    return cls(tuple(input_shape), int(num_classes), cfg)


def split_model_id(name: str) -> tuple[str, dict]:
    """`family:argument` -> (family, {its arg_option: argument}) for models that declare `arg_option`
    (e.g. `hf:microsoft/resnet-18`); any other name -> (name, {})."""
    family, sep, arg = name.partition(":")
    if not sep:
        return name, {}
    cls = MODELS.get(family)
    key = getattr(cls, "arg_option", None)
    if not key:
        raise UserError(f"model '{family}' takes no ':' argument; got '{name}'")
    return family, {key: arg}


def default_model_for(input_shape: tuple[int, ...], kind: str = "tabular") -> str:
    """The default model id for data of this shape (see `default_model_reason` for the why)."""
    return default_choice(input_shape, kind)[0]


def default_choice(input_shape: tuple[int, ...], kind: str = "tabular") -> tuple[str, str]:
    """(model id, i18n key of the reason): residual net for colour images >= 32 px, small CNN for other
    images, linear probe for embeddings, MLP for tables."""
    if len(input_shape) == 3:
        c, h, w = input_shape
        if c == 3 and min(h, w) >= 32:
            return "resnet_small", "model_reason.colour32"
        return "cnn_small", "model_reason.image"
    if kind == "embedding":
        return "linear", "model_reason.embedding"
    if kind == "text":  # an MLP on the embedding can memorize wrong labels, which the methods are there to stop
        return "mlp", "model_reason.text"
    return "mlp", "model_reason.tabular"
