"""Models: every model maps a batch to (penultimate features, logits) in one forward pass."""
from __future__ import annotations

from core import config as C
from core.models.base import LabelModel  # noqa: F401
from core.registry import MODELS


def build_model(name: str, input_shape: tuple[int, ...], num_classes: int, options: dict | None = None):
    """A registered model for inputs of `input_shape` (without batch dim) and `num_classes` outputs."""
    cls = MODELS.get(name)
    cfg = C.build(cls.Config, options or {})
    return cls(tuple(input_shape), int(num_classes), cfg)


def default_model_for(input_shape: tuple[int, ...], kind: str = "tabular") -> str:
    """The sensible default: a small CNN for images, a linear probe for embeddings, an MLP otherwise."""
    if len(input_shape) == 3:
        return "cnn_small"
    return "linear" if kind == "embedding" else "mlp"
