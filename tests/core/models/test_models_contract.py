"""Contract of every registered model: forward -> (features (B, D), logits (B, K)); layers end in the logits;
images get a model that keeps their layout; defaults per data shape name a reason."""

from __future__ import annotations

import pytest
import torch

from core import config as C
from core.i18n import TEXT
from core.models import build_model, default_choice
from core.registry import MODELS

SHAPES = {"image": (1, 28, 28), "colour": (3, 32, 32), "flat": (20,)}


def _opts(name, request):
    if name == "hf":
        return {"source": request.getfixturevalue("tiny_hf_model")}
    return {"resnet18": {"width": 4}, "resnet_small": {"width": 4, "blocks": 1}}.get(name, {})


@pytest.mark.parametrize("name", MODELS.names())
def test_forward_and_layers(name, request):
    cls = MODELS.get(name)
    shape = SHAPES["flat"] if name in ("mlp", "linear", "hf") else SHAPES["colour"]
    m = build_model(name, shape, 5, _opts(name, request))
    x = torch.randn(3, *shape)
    f, z = m(x)
    assert f.shape == (3, m.feature_dim) and z.shape == (3, 5)
    layers = m.layers(x)
    assert torch.equal(layers[-1], z) and all(h.dim() == 2 and len(h) == 3 for h in layers)
    assert cls.help and C.build(cls.Config, _opts(name, request)) is not None


@pytest.mark.parametrize(
    "shape,kind,expected",
    [
        ((1, 28, 28), "image", "cnn_small"),
        ((1, 8, 8), "image", "cnn_small"),
        ((3, 32, 32), "image", "resnet_small"),
        ((3, 16, 16), "image", "cnn_small"),
        ((32,), "embedding", "linear"),
        ((13,), "tabular", "mlp"),
    ],
)
def test_default_per_shape_has_a_reason(shape, kind, expected):
    name, reason = default_choice(shape, kind)
    assert name == expected and name in MODELS
    assert TEXT[reason]["en"] and TEXT[reason]["ja"]


def test_cnn_small_keeps_the_layout():
    """Two images with the same strokes in different places must get different features."""
    m = build_model("cnn_small", (1, 28, 28), 10, {}).eval()
    a = torch.zeros(1, 1, 28, 28)
    a[..., 2:10, 2:10] = 1
    b = torch.zeros(1, 1, 28, 28)
    b[..., 18:26, 18:26] = 1
    with torch.no_grad():
        assert not torch.allclose(m(a)[0], m(b)[0], atol=1e-4)
