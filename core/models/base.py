"""Base class of models: `forward(x) -> (features (B, D), logits (B, K))` and `layers(x)` for layer probes."""

from __future__ import annotations

import torch
from torch import nn


class LabelModel(nn.Module):
    """Subclasses define `body` (x -> list of hidden activations, last = penultimate) and `head`."""

    name = ""
    help = ""
    # Pretrained weights the Set up page offers, as (source, note); a model with some takes its source as
    # `<name>:<source>` (its `arg_option`) and the page asks which one.
    suggested: tuple[tuple[str, str], ...] = ()
    feature_dim: int

    def hidden(self, x: torch.Tensor) -> list[torch.Tensor]:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        feats = self.hidden(x)[-1]
        return feats, self.head(feats)

    def layers(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Flattened activations (B, D_l) of each hidden layer, then the logits (B, K)."""
        hs = self.hidden(x)
        return [h.flatten(1) for h in hs] + [self.head(hs[-1])]
