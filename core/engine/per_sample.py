"""The method's per-sample values over the whole dataset, kept on the device while a run trains.

Each value is a (N,) float tensor, NaN where the method has not set it yet; saved as the `per_sample`
artifact (the training and unlabeled indices) when probes run and when the run ends.
"""

from __future__ import annotations

import numpy as np
import torch

from core.store.writer import RunWriter


class PerSampleBuffer:
    def __init__(self, n_total: int, device: torch.device):
        self.n_total, self.device = n_total, device
        self.values: dict[str, torch.Tensor] = {}
        self._saved_epoch: int | None = None

    def store(self, key: str, idx: torch.Tensor, v: torch.Tensor) -> None:
        """Set value `key` of dataset indices idx (B,) to v (B,)."""
        buf = self.values.get(key)
        if buf is None:
            buf = self.values[key] = torch.full((self.n_total,), float("nan"), device=self.device)
        buf[idx] = v.detach().float().reshape(-1)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def __getitem__(self, key: str) -> torch.Tensor:
        return self.values[key]

    def __bool__(self) -> bool:
        return bool(self.values)

    def numpy(self) -> dict[str, np.ndarray]:
        return {k: v.cpu().numpy() for k, v in self.values.items()}

    def save(self, writer: RunWriter, epoch: int, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Write the values of dataset indices `idx` as `artifacts/per_sample/e<epoch>.npz` (once per epoch);
        returns all values as numpy (N,) arrays."""
        values = self.numpy()
        if values and epoch != self._saved_epoch:
            writer.save_arrays("per_sample", epoch, {"idx": idx, **{k: v[idx] for k, v in values.items()}})
            self._saved_epoch = epoch
        return values
